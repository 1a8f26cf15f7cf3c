import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { dispatch, openServices } from '../../../../main/services'
import { dryRunExperiment } from '../../../../main/services/user-policy-dry-run'
import { openStore } from '../../../../main/store'
import { tempDb, type TempDb } from '../services/fixtures'
import { ROOT, runCli } from './run-cli'

// Real processes through tsx, a worker thread and a WebAssembly sandbox: slow on a shared machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 60_000 })

const TEMPLATES = join(ROOT, 'resources', 'policy-templates')
const PROMOTE = readFileSync(join(TEMPLATES, 'promote-sampled.js'), 'utf8')

let db: TempDb
beforeAll(() => {
  db = tempDb()
})
afterAll(() => db.cleanup())

function writeFile(name: string, text: string): string {
  const file = join(db.dir, name)
  writeFileSync(file, text)
  return file
}

/** A short experiment naming `script` relative to its own file (written beside it). */
function experimentFile(name: string, script: string, params: Record<string, unknown> = {}) {
  const exp = dryRunExperiment(params)
  return writeFile(name, JSON.stringify({ ...exp, name, policy: { script, params } }))
}

function archivedRuns() {
  const store = openStore(db.dbPath)
  try {
    return store.runs.list().map((r) => store.runs.get(r.id)!)
  } finally {
    store.close()
  }
}

describe('tierlab run with a script policy', () => {
  it('runs it, archives its source and hash, and gives the same summary twice', async () => {
    writeFile('promote.js', PROMOTE)
    const file = experimentFile('promote.json', './promote.js', { period: 499 })
    const a = await runCli(['run', file, '--json', '--db', db.dbPath])
    expect(a.stderr).toBe('')
    expect(a.code).toBe(0)
    const b = await runCli(['run', file, '--json', '--db', db.dbPath])
    const ra = JSON.parse(a.stdout)
    const rb = JSON.parse(b.stdout)
    expect(ra.status).toBe('done')
    expect(ra.summary.promotions).toBeGreaterThan(0)
    expect(rb.summary).toEqual(ra.summary)
    const run = archivedRuns().find((r) => r.id === ra.runId)!
    expect(run.policyId).toBe('script:promote.js')
    expect(run.experiment.policy.source).toBe(PROMOTE)
    expect(run.experiment.policy.sourceSha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it.each([
    ['a file-system reach', 'import fs from "fs"\nexport default {}', /tried to import "fs"/],
    ['a missing default export', 'export const x = 1', /has no default export/],
  ])('refuses %s with exit 2, one line, and archives nothing', async (_, src, expected) => {
    const before = archivedRuns()
    writeFile('hostile.js', src)
    const r = await runCli([
      'run',
      experimentFile('hostile.json', './hostile.js'),
      '--db',
      db.dbPath,
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/hostile.json: policy.script "hostile.js": /)
    expect(r.stderr).toMatch(expected)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(archivedRuns()).toEqual(before)
  })

  it('ends a run whose script spins forever with exit 2 and leaves earlier runs as they were', async () => {
    const before = archivedRuns()
    writeFile('spin.js', `export default { name: 'spin', create() { for (;;) {} } }`)
    const r = await runCli(['run', experimentFile('spin.json', './spin.js'), '--db', db.dbPath])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toMatch(
      /^Run \d+ failed: policy script "spin.js" line 1: in create used more than its CPU budget/,
    )
    const after = archivedRuns()
    expect(after.slice(1)).toEqual(before)
    expect(after[0].status).toBe('failed')
  })

  it('names the experiment file and the script path when the script is missing', async () => {
    const r = await runCli(['run', experimentFile('gone.json', './gone.js'), '--db', db.dbPath])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('gone.json: policy.script "./gone.js"')
    expect(r.stderr).toContain('does not exist; check the path')
  })

  it('refuses an archived source that was edited after the fact (hash mismatch)', async () => {
    const exp = {
      ...dryRunExperiment({}),
      policy: { script: 'p.js', source: PROMOTE, sourceSha256: '0'.repeat(64) },
    }
    const r = await runCli([
      'run',
      writeFile('edited.json', JSON.stringify(exp)),
      '--db',
      db.dbPath,
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('policy.sourceSha256')
    expect(r.stderr).toContain('does not match')
  })
})

describe('tierlab check-policy', () => {
  it('type-checks and dry-runs a script, printing what it did', async () => {
    const r = await runCli(['check-policy', join(TEMPLATES, 'promote-sampled.js')])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('"promote sampled" loaded; types OK')
    expect(r.stdout).toMatch(/hooks called: onSamples ×100/)
    expect(r.stdout).toMatch(/promotions: [1-9]/)
  })

  it('reports a type error with its line (exit 2)', async () => {
    const f = writeFile(
      'typo.js',
      'export default {\n  name: "t",\n  create(k, ctx) {\n    return { onEpoch(ctx) { ctx.migrat(1, 0, "sync") } }\n  },\n}\n',
    )
    const r = await runCli(['check-policy', f])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toMatch(
      /^typo.js line 4: Property 'migrat' does not exist on type 'PolicyContext'. Did you mean 'migrate'\?/,
    )
  })

  it('reports a syntax error with its line (exit 2)', async () => {
    const r = await runCli([
      'check-policy',
      writeFile('broken.ts', 'const a: number = (1\nexport default {}\n'),
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/broken.ts line \d: /)
  })
})

describe('tierlab policies --json', () => {
  it('lists saved user policies after the built-ins', async () => {
    const services = openServices({ dbPath: db.dbPath, host: 'web' })
    try {
      const reply = await dispatch(services, 'policies.user.save', {
        name: 'mine.js',
        source: PROMOTE,
      })
      expect(reply.ok).toBe(true)
    } finally {
      services.close()
    }
    const r = await runCli(['policies', '--json', '--db', db.dbPath])
    expect(r.code).toBe(0)
    const ids = (JSON.parse(r.stdout) as Array<{ id: string; knobs: Array<{ name: string }> }>).map(
      (p) => p.id,
    )
    expect(ids).toContain('first-touch')
    expect(ids.at(-1)).toBe('library:mine.js')
    const mine = JSON.parse(r.stdout).at(-1)
    expect(mine.knobs.map((k: { name: string }) => k.name)).toEqual(['period', 'demotionEnabled'])
  })
})
