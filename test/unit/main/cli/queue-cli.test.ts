import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openStore } from '../../../../main/store'
import { tempDb, type TempDb } from '../services/fixtures'
import { startRedis, type RedisServer } from '../services/queue/redis-server'
import { BIN, ROOT, runCli } from './run-cli'

// Real processes (CLI submitter, CLI workers, the engine in worker threads) and a real
// redis-server: slow on 2 cores, so generous but finite bounds; the server and every worker are
// stopped in afterAll whatever happened.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 30_000 })

let redis: RedisServer
let db: TempDb
let experiment: string
const children: ChildProcess[] = []

beforeAll(async () => {
  redis = await startRedis()
  db = tempDb()
  const doc = JSON.parse(
    readFileSync(join(ROOT, 'resources', 'examples', 'kv-store-first-touch.json'), 'utf8'),
  )
  experiment = join(db.dir, 'unseen.json')
  writeFileSync(experiment, JSON.stringify({ ...doc, name: 'unseen sweep', durationS: 1 }))
})
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  await redis?.stop()
  db?.cleanup()
})

/** `tierlab worker` as a separate process; `log` collects its stderr. */
function startWorker(lockMs: number): { child: ChildProcess; log: () => string } {
  const env = { ...process.env }
  delete env.TIERLAB_DB
  const child = spawn(
    process.execPath,
    [BIN, 'worker', '--queue', redis.url, '--concurrency', '1', '--lock-ms', String(lockMs)],
    { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  children.push(child)
  let text = ''
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()))
  return { child, log: () => text }
}

const sweepArgs = (dbPath: string) => [
  'sweep',
  experiment,
  '--knob',
  'policy.id',
  '--values',
  'first-touch,oracle',
  '--replicates',
  '2',
  '--queue',
  redis.url,
  '--json',
  '--db',
  dbPath,
]

describe('tierlab sweep --queue with tierlab worker', () => {
  it('survives a worker killed with SIGKILL mid-sweep: every run lands done exactly once', async () => {
    const a = startWorker(2000)
    const b = startWorker(2000)
    const sweep = runCli(sweepArgs(db.dbPath), undefined, 150_000)
    // Kill worker A as soon as it has taken a job, so that job dies with it.
    for (let i = 0; !/job tl-/.test(a.log()); i++) {
      if (i > 1200) throw new Error(`worker A never took a job: ${a.log()}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    a.child.kill('SIGKILL')
    const r = await sweep
    // Nothing at all, no process warning either: the submitter once added one abort listener
    // per poll while the killed worker's lock ran out (a MaxListenersExceededWarning).
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.added).toBe(4)
    expect(out.runs).toHaveLength(4)
    expect(out.groups.map((g: { point: unknown }) => g.point)).toEqual([
      { 'policy.id': 'first-touch' },
      { 'policy.id': 'oracle' },
    ])
    expect(out.groups[0].metrics.throughputOpsPerS.n).toBe(2)

    const store = openStore(db.dbPath)
    const runs = store.runs.list()
    store.close()
    expect(runs).toHaveLength(4)
    expect(runs.every((run) => run.status === 'done')).toBe(true)
    expect(new Set(runs.map((run) => run.jobId)).size).toBe(4)
    // Worker B ran the killed worker's job once its lock expired.
    const killedJob = /job (tl-[0-9a-f]+)/.exec(a.log())![1]
    expect(b.log()).toContain(`job ${killedJob}`)

    // Resubmitting the same sweep adds nothing.
    const again = await runCli(sweepArgs(db.dbPath))
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout).added).toBe(0)
    const after = openStore(db.dbPath)
    expect(after.runs.count()).toBe(4)
    after.close()
    b.child.kill('SIGTERM')
  })

  it('never prints the credentials of an unreachable queue and writes no database', async () => {
    const file = join(db.dir, 'never.db')
    const r = await runCli([
      'sweep',
      experiment,
      '--knob',
      'seed',
      '--values',
      '1',
      '--queue',
      'redis://ops:hunter2@127.0.0.1:1',
      '--db',
      file,
    ])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe(
      '--queue: cannot reach Redis at redis://127.0.0.1:1 (ECONNREFUSED); start redis-server there or fix the host and port',
    )
    expect(r.stderr + r.stdout).not.toContain('hunter2')
    expect(existsSync(file)).toBe(false)
  })

  it('asks for --yes above the grid limit, before touching the database', async () => {
    const file = join(db.dir, 'huge.db')
    const values = Array.from({ length: 1000 }, (_, i) => i + 1).join(',')
    const r = await runCli([
      'sweep',
      experiment,
      '--knob',
      'seed',
      '--values',
      values,
      '--knob',
      'durationS',
      '--values',
      Array.from({ length: 100 }, (_, i) => i + 1).join(','),
      '--db',
      file,
    ])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe(
      'the sweep has 100,000 runs (1000 × 100 points × 1 replicate), more than 1,000; check the grid and confirm with --yes',
    )
    expect(existsSync(file)).toBe(false)
  })
})
