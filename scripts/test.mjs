#!/usr/bin/env node
// The README's test command: Vitest (unit, store, services, CLI, web host) then Playwright (E2E in
// Debian's Chromium against the web host). Prints one closing line `N passed, N failed[, N skipped]`
// with totals over both runners, and exits non-zero if either runner failed or ran no test. The
// failed count includes setup, teardown and load errors and crashed runners (test-totals.mjs).
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { playwrightTotals, vitestTotals } from './test-totals.mjs'

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

/** A runner's JSON report, or null when it crashed before writing a readable one. */
function readReport(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

function add(t) {
  totals.passed += t.passed
  totals.failed += t.failed
  totals.skipped += t.skipped
}

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
  const t = vitestTotals(readReport(out), code)
  add(t)
  if (t.ran === 0) exitCode = 1
  if (code !== 0) exitCode = code
}

if (only !== 'unit' && !ensureChromium()) {
  totals.failed += 1
  exitCode = exitCode || 1
} else if (only !== 'unit') {
  const out = join(results, 'playwright.json')
  rmSync(out, { force: true })
  const code = run('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out })
  const t = playwrightTotals(readReport(out), code)
  add(t)
  if (t.ran === 0) exitCode = exitCode || 1
  if (code !== 0) exitCode = exitCode || code
}

console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(exitCode)
