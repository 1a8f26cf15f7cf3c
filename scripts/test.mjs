#!/usr/bin/env node
// The README's test command: Vitest (unit, store, services, CLI, web host) then Playwright (E2E in
// Debian's Chromium against the web host). Prints one closing line `N passed, N failed[, N skipped]`
// with totals over both runners, and exits non-zero if either runner failed or ran no test.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const results = join(root, 'test-results')
mkdirSync(results, { recursive: true })
const only = process.argv[2] // optional: 'unit' or 'e2e'

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  return r.status ?? 1
}

/** E2E tests drive Debian's Chromium; on a fresh Debian machine, as root, install it once. */
function ensureChromium() {
  const path = process.env.TIERLAB_CHROMIUM ?? '/usr/bin/chromium'
  if (existsSync(path)) return true
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log("test: Chromium is missing; installing Debian's chromium package for the E2E tests")
    const env = { DEBIAN_FRONTEND: 'noninteractive' }
    if (
      run('apt-get', ['update', '-qq'], env) === 0 &&
      run('apt-get', ['install', '-y', '-qq', 'chromium'], env) === 0
    )
      return true
  }
  console.error(
    `test: no Chromium at ${path}; install it (apt-get install -y chromium) or set TIERLAB_CHROMIUM`,
  )
  return false
}

const totals = { passed: 0, failed: 0, skipped: 0 }
let exitCode = 0

if (only !== 'e2e') {
  const out = join(results, 'vitest.json')
  rmSync(out, { force: true })
  const code = run('npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${out}`,
  ])
  if (existsSync(out)) {
    const j = JSON.parse(readFileSync(out, 'utf8'))
    totals.passed += j.numPassedTests
    totals.failed +=
      j.numFailedTests +
      (j.numTotalTestSuites > 0 && j.success === false && j.numFailedTests === 0 ? 1 : 0)
    totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0)
    if (j.numTotalTests === 0) exitCode = 1
  } else totals.failed += 1
  if (code !== 0) exitCode = code
}

if (only !== 'unit' && !ensureChromium()) {
  totals.failed += 1
  exitCode = exitCode || 1
} else if (only !== 'unit') {
  const out = join(results, 'playwright.json')
  rmSync(out, { force: true })
  const code = run('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out })
  if (existsSync(out)) {
    const j = JSON.parse(readFileSync(out, 'utf8'))
    const s = j.stats ?? {}
    totals.passed += (s.expected ?? 0) + (s.flaky ?? 0)
    totals.failed += s.unexpected ?? 0
    totals.skipped += s.skipped ?? 0
    if ((s.expected ?? 0) + (s.unexpected ?? 0) + (s.flaky ?? 0) === 0) exitCode = exitCode || 1
  } else totals.failed += 1
  if (code !== 0) exitCode = exitCode || code
}

console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(exitCode)
