#!/usr/bin/env node
// `npm run scan:electron`: @doyensec/electronegativity over main/ (the Electron main process,
// preload and window set-up), run from `npm run lint`. It fails on any HIGH finding; MEDIUM and LOW
// ones are printed for review (e.g. "review the use of preload scripts"). The scanner always exits
// 0 and ignores --severity in its CSV, so the CSV is read here. Offline it cannot fetch Electron's
// release list and says so; the checks themselves run locally.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
const electronVersion = lock.packages['node_modules/electron']?.version
const dir = mkdtempSync(join(tmpdir(), 'tierlab-scan-'))
const csv = join(dir, 'findings.csv')
try {
  const args = [
    '--require',
    join(root, 'scripts', 'scan-electron-commander.cjs'),
    join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js'),
    '-i',
    join(root, 'main'),
    '-r',
    '-v',
    'false',
    '-o',
    csv,
  ]
  // Without the version it assumes Electron 0.1.0, whose defaults were insecure.
  if (electronVersion) args.push('-e', electronVersion)
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' })
  let text
  try {
    text = readFileSync(csv, 'utf8')
  } catch {
    console.error(`scan:electron: the scanner wrote no report\n${r.stdout ?? ''}${r.stderr ?? ''}`)
    process.exit(1)
  }
  // issue, severity, confidence, filename, location, sample, description, url
  const findings = text
    .trim()
    .split('\n')
    .slice(1)
    .filter((line) => line.length > 0)
    .map((line) => {
      const [issue, severity, confidence, file, location] = line.split(',')
      const unq = (s) => (s ?? '').replace(/^"|"$/g, '')
      return {
        issue,
        severity: unq(severity),
        confidence: unq(confidence),
        file: unq(file),
        location: unq(location),
      }
    })
  for (const f of findings)
    console.log(
      `scan:electron: ${f.severity} ${f.confidence} ${f.issue} main/${f.file}:${f.location}`,
    )
  const high = findings.filter((f) => f.severity === 'HIGH')
  console.log(
    `scan:electron: ${findings.length} finding(s), ${high.length} HIGH (Electron ${electronVersion ?? 'unknown'})`,
  )
  process.exit(high.length > 0 ? 1 : 0)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
