import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiEvent } from '../shared/api'
import { dispatch, openServices, resolveProjectRoot, type Services } from '../main/services'
import { parseQueueUrl, runRemoteSweep } from '../main/services/queue'
import type { SweepRequest } from '../main/services/runs'
import { startRedis } from '../test/unit/main/services/queue/redis-server'

/**
 * The distributed queue's cost, for `npm run bench`: the same sweeps on the local worker pool (2
 * threads) and on a Redis queue served by two `tierlab worker` processes (1 simulation each),
 * against a throw-away redis-server. Both sides are warmed first (threads started, code compiled).
 * Targets: ≤ 20 ms of queue overhead per job (200 tiny jobs), and a 2-worker sweep within 10 % of
 * the local pool's wall time.
 */

const WORKERS = 2
const ROOT = resolveProjectRoot()

function experiment(durationS: number): unknown {
  const file = join(ROOT, 'resources', 'examples', 'kv-store-first-touch.json')
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  return { ...doc, name: `bench ${durationS} s`, durationS }
}

/** A sweep over `n` seeds from `from`: distinct seeds are distinct jobs (nothing cached). */
const seedSweep = (durationS: number, n: number, from: number): SweepRequest => ({
  experiment: experiment(durationS),
  grid: [{ knob: 'seed', values: Array.from({ length: n }, (_, i) => from + i) }],
  replicates: 1,
  confirmed: true,
})

/** Wall time of a sweep on the local pool, s. */
async function localSweep(services: Services, request: SweepRequest): Promise<number> {
  const final = new Set<number>()
  let wake = () => undefined as void
  const off = services.events.on((e: ApiEvent) => {
    if (e.type === 'run-status' && ['done', 'failed'].includes(e.status)) {
      final.add(e.runId)
      wake()
    }
  })
  try {
    const t0 = performance.now()
    const reply = await dispatch(services, 'runs.sweep', { ...request })
    if (!reply.ok) throw new Error(reply.error.message)
    const ids = (reply.value as Array<{ id: number }>).map((r) => r.id)
    while (!ids.every((id) => final.has(id))) {
      await new Promise<void>((resolve) => (wake = resolve))
    }
    return (performance.now() - t0) / 1000
  } finally {
    off()
  }
}

/** Submit → every result stored, s, and the workers' own time per job (summed), ms. */
async function queueSweep(url: string, dbPath: string, request: SweepRequest) {
  const t0 = performance.now()
  // The first update comes once every job is submitted (planning and checks done).
  let submittedMs: number | null = null
  const result = await runRemoteSweep({
    dbPath,
    address: parseQueueUrl(url),
    request,
    onUpdate: () => void (submittedMs ??= performance.now()),
  })
  const endMs = performance.now()
  const wallS = (endMs - t0) / 1000
  const submittedToStoredS = (endMs - (submittedMs ?? t0)) / 1000
  const notDone = result.runs.filter((r) => r.status !== 'done')
  if (notDone.length > 0) throw new Error(`queue bench: run ${notDone[0].id} ${notDone[0].status}`)
  return {
    wallS,
    submittedToStoredS,
    jobWallMs: result.runs.reduce((sum, r) => sum + (r.wallMs ?? 0), 0),
  }
}

function startWorker(url: string): ChildProcess {
  return spawn(
    process.execPath,
    [join(ROOT, 'bin', 'tierlab.mjs'), 'worker', '--queue', url, '--concurrency', '1'],
    { cwd: ROOT, stdio: 'ignore' },
  )
}

export async function benchQueue() {
  const redis = await startRedis()
  const dir = mkdtempSync(join(tmpdir(), 'tierlab-bench-'))
  const services = openServices({
    dbPath: join(dir, 'local.db'),
    host: 'web',
    runs: { poolSize: WORKERS },
  })
  const workers = Array.from({ length: WORKERS }, () => startWorker(redis.url))
  const remoteDb = join(dir, 'remote.db')
  try {
    await localSweep(services, seedSweep(0.02, 4, 1))
    await queueSweep(redis.url, remoteDb, seedSweep(0.02, 4, 1))

    // 200 tiny jobs. Queue overhead per job: from the submission of the jobs until the last
    // result is stored, the two workers' slots were there for that time × 2; what they did not
    // spend simulating went to fetching, locking, returning and storing. (Planning the sweep is
    // the same work as on the local pool and is not counted.)
    const tinyLocalS = await localSweep(services, seedSweep(0.02, 200, 1000))
    const tiny = await queueSweep(redis.url, remoteDb, seedSweep(0.02, 200, 1000))
    const overheadMsPerJob = (tiny.submittedToStoredS * WORKERS * 1000 - tiny.jobWallMs) / 200

    // Real-sized runs, alternated twice with fresh seeds, the best of each kept: a neighbour's
    // burst on a shared machine should not decide the ratio.
    const sizedLocalS = Math.min(
      await localSweep(services, seedSweep(120, 8, 5000)),
      await localSweep(services, seedSweep(120, 8, 6000)),
    )
    const sizedQueueS = Math.min(
      (await queueSweep(redis.url, remoteDb, seedSweep(120, 8, 5000))).wallS,
      (await queueSweep(redis.url, remoteDb, seedSweep(120, 8, 6000))).wallS,
    )
    const ratio = sizedQueueS / sizedLocalS

    const results = {
      workers: WORKERS,
      tinyJobs: 200,
      tinyLocalWallS: Number(tinyLocalS.toFixed(3)),
      tinyQueueWallS: Number(tiny.wallS.toFixed(3)),
      overheadMsPerJob: Number(overheadMsPerJob.toFixed(2)),
      sizedRuns: 8,
      sizedLocalWallS: Number(sizedLocalS.toFixed(3)),
      sizedQueueWallS: Number(sizedQueueS.toFixed(3)),
      queueVsLocalRatio: Number(ratio.toFixed(3)),
      targetsMet: overheadMsPerJob <= 20 && ratio <= 1.1,
    }
    console.log(
      `queue: 200 tiny jobs on ${WORKERS} workers in ${results.tinyQueueWallS} s (local pool ${results.tinyLocalWallS} s) → ${results.overheadMsPerJob} ms queue overhead per job (target ≤ 20)`,
    )
    console.log(
      `queue: 8 runs of 120 s simulated: ${results.sizedQueueWallS} s on ${WORKERS} workers vs ${results.sizedLocalWallS} s on the local pool → ×${results.queueVsLocalRatio} (target ≤ 1.10)`,
    )
    return results
  } finally {
    for (const w of workers) w.kill('SIGTERM')
    services.close()
    await redis.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
