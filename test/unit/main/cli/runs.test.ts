import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openStore } from '../../../../main/store'
import { tempDb, type TempDb } from '../services/fixtures'
import { BIN, ROOT, runCli } from './run-cli'

// Real processes, each compiling through tsx and simulating in a worker thread: slow on 2 cores.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 60_000 })

const EXAMPLES = join(ROOT, 'resources', 'examples')
const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json'))
  .sort()

let db: TempDb
beforeAll(() => {
  db = tempDb()
})
afterAll(() => {
  db.cleanup()
})

const SUMMARY_KEYS = [
  'throughputOpsPerS',
  'meanLatencyNs',
  'topTierHitRatio',
  'promotedBytes',
  'demotedBytes',
  'hintFaults',
]

function writeJson(name: string, value: unknown): string {
  const file = join(db.dir, name)
  writeFileSync(file, JSON.stringify(value))
  return file
}

describe('tierlab run', () => {
  it.each(examples)(
    'runs %s to completion and prints exactly the DESIGN §8 shape',
    async (file) => {
      // The shape, not the example's outcome (test/unit/resources/examples.test.ts checks that):
      // two simulated seconds keep each run to a few seconds on a 2-core machine.
      const full = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'))
      const short = writeJson(file, { ...full, durationS: Math.min(full.durationS, 2) })
      const r = await runCli(['run', short, '--json', '--db', db.dbPath])
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const out = JSON.parse(r.stdout)
      expect(Object.keys(out)).toEqual([
        'runId',
        'status',
        'summary',
        'processes',
        'nodes',
        'warnings',
      ])
      expect(Array.isArray(out.warnings)).toBe(true)
      expect(out.status).toBe('done')
      for (const key of SUMMARY_KEYS) expect(typeof out.summary[key]).toBe('number')
      const doc = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'))
      // The workload is a preset or written inline in the example.
      const preset = doc.workload.preset
        ? JSON.parse(
            readFileSync(
              join(ROOT, 'resources', 'presets', 'workloads', `${doc.workload.preset}.json`),
              'utf8',
            ),
          )
        : doc.workload
      // One entry per process of the workload, in its order, with exactly the three fields.
      expect(out.processes.map((p: { id: string }) => p.id)).toEqual(
        preset.processes.map((p: { id: string }) => p.id),
      )
      for (const p of out.processes) {
        expect(Object.keys(p)).toEqual(['id', 'throughputOpsPerS', 'meanLatencyNs'])
        expect(p.throughputOpsPerS).toBeGreaterThan(0)
      }
      // Every node of the machine at the end of the run; the access shares add up to 1.
      expect(out.nodes.length).toBeGreaterThan(0)
      for (const n of out.nodes)
        expect(Object.keys(n)).toEqual(['node', 'component', 'usedBytes', 'accessShare'])
      const shares = out.nodes.reduce(
        (s: number, n: { accessShare: number }) => s + n.accessShare,
        0,
      )
      expect(shares).toBeCloseTo(1, 6)
      const list = await runCli(['list', '--json', '--db', db.dbPath])
      const listed = JSON.parse(list.stdout).find((x: { id: number }) => x.id === out.runId)
      expect(listed).toMatchObject({ status: 'done', name: doc.name, policyId: doc.policy.id })
    },
  )

  it('prints a readable table without --json, and --seed reaches the archived run', async () => {
    const file = join(EXAMPLES, 'kv-store-first-touch.json')
    const r = await runCli(['run', file, '--seed', '42', '--db', db.dbPath])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^run \d+: KV store, first-touch \(no tiering\) — done\n/)
    expect(r.stdout).toMatch(/\nThroughput +[\d.e+]+ +ops\/s\n/)
    expect(r.stdout).toMatch(/\nprocess +throughput ops\/s +mean latency ns\nserver +/)
    const id = Number(/^run (\d+)/.exec(r.stdout)![1])
    const show = JSON.parse(
      (await runCli(['show', String(id), '--json', '--db', db.dbPath])).stdout,
    )
    expect(show.seed).toBe(42)
    expect(show.experiment.seed).toBe(42)
  })

  it('refuses a bad experiment with one sentence naming the file and field, and archives nothing', async () => {
    const before = JSON.parse((await runCli(['list', '--json', '--db', db.dbPath])).stdout).length
    const doc = JSON.parse(readFileSync(join(EXAMPLES, 'kv-store-first-touch.json'), 'utf8'))
    const bad = writeJson('bad.json', { ...doc, policy: { id: 'first-touch', params: { x: 1 } } })
    const r = await runCli(['run', bad, '--json', '--db', db.dbPath])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')).toEqual([
      `${bad}: policy.params policy "first-touch" has no knob "x"; its knobs are none`,
    ])
    const after = JSON.parse((await runCli(['list', '--json', '--db', db.dbPath])).stdout).length
    expect(after).toBe(before)
  })
})

describe('tierlab export / import', () => {
  it('round-trips runs with their series exactly, and a second import reports duplicates', async () => {
    const runs = JSON.parse((await runCli(['list', '--json', '--db', db.dbPath])).stdout) as Array<{
      id: number
    }>
    const ids = runs.slice(0, 2).map((r) => r.id)
    expect(ids).toHaveLength(2)
    const out = join(db.dir, 'bundle.json')
    const ex = await runCli(['export', ...ids.map(String), '--out', out, '--db', db.dbPath])
    expect(ex.code).toBe(0)
    expect(ex.stdout.trim()).toBe(`Exported 2 runs to ${out}.`)

    const other = join(db.dir, 'other.db')
    const first = await runCli(['import', out, '--json', '--db', other])
    expect(first.code).toBe(0)
    const result = JSON.parse(first.stdout)
    expect(result.duplicates).toEqual([])
    expect(result.imported).toHaveLength(2)

    const src = openStore(db.dbPath)
    const dst = openStore(other)
    try {
      ids.forEach((id, i) => {
        const copy = result.imported[i]
        const series = src.runs.series(id)
        expect(series.length).toBeGreaterThan(0)
        expect(dst.runs.series(copy)).toEqual(series)
        expect(dst.runs.heatmap(copy)).toEqual(src.runs.heatmap(id))
        expect(dst.runs.get(copy)?.summary).toEqual(src.runs.get(id)?.summary)
      })
    } finally {
      src.close()
      dst.close()
    }

    const second = await runCli(['import', out, '--db', other])
    expect(second.code).toBe(0)
    expect(second.stdout.trim()).toBe(
      `Imported 0 runs. 2 runs already in the database (ids ${result.imported.join(', ')}), skipped.`,
    )
  })
})

describe('tierlab sweep', () => {
  it('runs one experiment per value as one batch and prints each §8 result', async () => {
    const doc = JSON.parse(readFileSync(join(EXAMPLES, 'kv-store-first-touch.json'), 'utf8'))
    const file = writeJson('sweep.json', { ...doc, durationS: 2 })
    const r = await runCli([
      'sweep',
      file,
      '--knob',
      'policy.id',
      '--values',
      'first-touch,oracle',
      '--json',
      '--db',
      db.dbPath,
    ])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.knob).toBe('policy.id')
    expect(out.runs.map((x: { value: string; status: string }) => [x.value, x.status])).toEqual([
      ['first-touch', 'done'],
      ['oracle', 'done'],
    ])
    // First-touch never migrates; the oracle promotes the hot keys that landed in CXL memory.
    expect(out.runs[0].summary.promotedBytes).toBe(0)
    expect(out.runs[1].summary.promotedBytes).toBeGreaterThan(0)
    const list = JSON.parse((await runCli(['list', '--json', '--db', db.dbPath])).stdout)
    const batch = list.filter((x: { batch: string | null }) => x.batch === out.batch)
    expect(batch).toHaveLength(2)
  })
})

describe('a killed CLI', () => {
  it('leaves the database readable, earlier runs intact and its run interrupted at the next open', async () => {
    const doc = JSON.parse(readFileSync(join(EXAMPLES, 'kv-store-numa-tiering.json'), 'utf8'))
    const long = writeJson('long.json', { ...doc, name: 'long run', durationS: 86_400 })
    const before = JSON.parse(
      (await runCli(['list', '--json', '--db', db.dbPath])).stdout,
    ) as Array<{
      id: number
      status: string
    }>
    const env = { ...process.env }
    delete env.TIERLAB_DB
    const child = spawn(process.execPath, [BIN, 'run', long, '--json', '--db', db.dbPath], {
      cwd: ROOT,
      env,
      stdio: 'ignore',
    })
    const exited = new Promise((resolve) => child.on('exit', resolve))
    // Wait until the run is running in the worker, then kill the whole process at once.
    for (;;) {
      await new Promise((r) => setTimeout(r, 200))
      const list = await runCli(['list', '--json', '--status', 'running', '--db', db.dbPath])
      if (JSON.parse(list.stdout).some((x: { name: string }) => x.name === 'long run')) break
    }
    child.kill('SIGKILL')
    await exited

    const r = await runCli(['list', '--json', '--db', db.dbPath])
    expect(r.code).toBe(0)
    const after = JSON.parse(r.stdout) as Array<{
      id: number
      name: string
      status: string
      error: string
    }>
    const killed = after.find((x) => x.name === 'long run')!
    expect(killed.status).toBe('interrupted')
    expect(killed.error).toMatch(/^Interrupted: Tierlab process \d+ that ran it stopped/)
    for (const run of before) {
      expect(after.find((x) => x.id === run.id)?.status).toBe(run.status)
    }
  })
})
