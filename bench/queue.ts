import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiEvent } from '../shared/api'
import { dispatch, openServices, resolveProjectRoot, type Services } from '../main/services'
import { resolveExperiment } from '../main/services/experiments'
import { createPresetSource } from '../main/services/experiments/catalog'
import { scaleExperiment } from '../main/services/experiments/scale'
import { parseQueueUrl, runRemoteSweep } from '../main/services/queue'
import { resolveResourcesDir } from '../main/services/resources'
import type { SweepRequest } from '../main/services/runs'
import { startRedis } from '../test/unit/main/services/queue/redis-server'

/**
 * The distributed queue's cost, for `npm run bench` (alone: `npm run bench -- --only queue`): the
 * same sweeps on the local worker pool (2 threads) and on a Redis queue served by two `tierlab
 * worker` processes of 1 simulation each, so both sides have the same parallelism, against a
 * throw-away redis-server. Both sides are warmed first (every simulation thread started and
 * compiled); warm-up is in neither measurement.
 *
 * The machine is shared, so wall times are noisy: the two sides run interleaved (L Q, then Q L,
 * each repetition on fresh seeds so nothing is reused), and every figure comes with the CPU time
 * of all processes involved (this process with its simulation threads for the local pool; the
 * submitter, both worker processes and redis-server for the queue), which a neighbour's load
 * does not change.
 *
 * Targets (issue 13): ≤ 20 ms of queue overhead per job (200 tiny jobs, submit → result stored),
 * and a 2-worker sweep within 10 % of the local pool's wall time.
 */

const WORKERS = 2
const TINY_JOBS = 200
const SIZED_RUNS = 8
const REPS = Number(process.env.BENCH_QUEUE_REPS ?? 2)
const ROOT = resolveProjectRoot()

/** The kv-store example at full size for `durationS`, or at 1/512 of its memory (64 MiB). */
async function experiments() {
  const catalog = await createPresetSource(resolveResourcesDir()).catalog()
  const file = join(ROOT, 'resources', 'examples', 'kv-store-first-touch.json')
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  return {
    // A full-size run is ~2.7 s of CPU even for 0.02 simulated s (setting up 8 Mi pages); at
    // 1/512 of the memory it is ~15 ms, so what is measured is the queue, not the engine.
    tiny: { ...scaleExperiment(resolveExperiment({ ...doc, durationS: 0.02 }, catalog), 1 / 512) },
    sized: { ...doc, name: 'bench 120 s', durationS: 120 },
  }
}

/** A sweep over `n` seeds from `from`: distinct seeds are distinct jobs (nothing reused). */
const seedSweep = (experiment: unknown, n: number, from: number): SweepRequest => ({
  experiment,
  grid: [{ knob: 'seed', values: Array.from({ length: n }, (_, i) => from + i) }],
  replicates: 1,
  confirmed: true,
})

const selfCpuS = () => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1e6
}

/** CPU time of another process so far (all its threads), s; Linux /proc, else 0. */
function processCpuS(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

interface Measured {
  wallS: number
  /** CPU time of every process doing the work, s. */
  cpuS: number
  /** The simulations' own wall time, summed over jobs (measured where they ran), ms. */
  jobWallMs: number
}

/** A sweep on the local pool: dispatch → every run done; CPU of this process and its threads. */
async function localSweep(services: Services, request: SweepRequest): Promise<Measured> {
  const final = new Set<number>()
  let wake = () => undefined as void
  const off = services.events.on((e: ApiEvent) => {
    if (e.type === 'run-status' && ['done', 'failed'].includes(e.status)) {
      final.add(e.runId)
      wake()
    }
  })
  try {
    const c0 = selfCpuS()
    const t0 = performance.now()
    const reply = await dispatch(services, 'runs.sweep', { ...request })
    if (!reply.ok) throw new Error(reply.error.message)
    const ids = (reply.value as Array<{ id: number }>).map((r) => r.id)
    while (!ids.every((id) => final.has(id))) {
      await new Promise<void>((resolve) => (wake = resolve))
    }
    const wallS = (performance.now() - t0) / 1000
    const cpuS = selfCpuS() - c0
    const runs = await Promise.all(ids.map((id) => dispatch(services, 'runs.get', { id })))
    const jobWallMs = runs.reduce(
      (sum, r) => sum + (r.ok ? ((r.value as { wallMs?: number }).wallMs ?? 0) : 0),
      0,
    )
    return { wallS, cpuS, jobWallMs }
  } finally {
    off()
  }
}

/** A sweep on the queue: submit → every result stored, with the CPU of every process involved. */
async function queueSweep(
  url: string,
  dbPath: string,
  request: SweepRequest,
  pids: number[],
): Promise<Measured & { submittedToStoredS: number; submitterCpuS: number }> {
  const others0 = pids.map(processCpuS)
  const c0 = selfCpuS()
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
  const submitterCpuS = selfCpuS() - c0
  const othersCpuS = pids.reduce((sum, pid, i) => sum + processCpuS(pid) - others0[i], 0)
  const notDone = result.runs.filter((r) => r.status !== 'done')
  if (notDone.length > 0) throw new Error(`queue bench: run ${notDone[0].id} ${notDone[0].status}`)
  if (result.added !== result.runs.length) throw new Error('queue bench: runs were reused')
  return {
    wallS: (endMs - t0) / 1000,
    cpuS: submitterCpuS + othersCpuS,
    submitterCpuS,
    submittedToStoredS: (endMs - (submittedMs ?? t0)) / 1000,
    jobWallMs: result.runs.reduce((sum, r) => sum + (r.wallMs ?? 0), 0),
  }
}

interface BenchWorker {
  child: ChildProcess
  /** Jobs this worker has started (its stderr log lines). */
  jobs(): number
}

function startWorker(url: string): BenchWorker {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'tierlab.mjs'), 'worker', '--queue', url, '--concurrency', '1'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let jobs = 0
  // Read (and count) every line, so a full pipe never blocks the worker.
  child.stderr!.on('data', (d: Buffer) => (jobs += d.toString().match(/^job /gm)?.length ?? 0))
  return { child, jobs: () => jobs }
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits))
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

export async function benchQueue() {
  const { tiny, sized } = await experiments()
  const redis = await startRedis()
  const dir = mkdtempSync(join(tmpdir(), 'tierlab-bench-'))
  const services = openServices({
    dbPath: join(dir, 'local.db'),
    host: 'web',
    runs: { poolSize: WORKERS },
  })
  const workers = Array.from({ length: WORKERS }, () => startWorker(redis.url))
  const pids = [...workers.map((w) => w.child.pid!), redis.pid]
  const remoteDb = join(dir, 'remote.db')
  let seed = 1
  const next = (n: number) => ((seed += n), seed - n)
  try {
    // Warm-up: both pool threads start at once on 4 queued runs; on the queue, sweeps until
    // each worker process has started its simulation thread.
    await localSweep(services, seedSweep(tiny, 4, next(4)))
    for (let i = 0; i < 10 && workers.some((w) => w.jobs() === 0); i++) {
      await queueSweep(redis.url, remoteDb, seedSweep(tiny, 4, next(4)), pids)
    }
    if (workers.some((w) => w.jobs() === 0)) throw new Error('queue bench: a worker took no job')

    const tinyRounds: Array<{ local: Measured; queue: Awaited<ReturnType<typeof queueSweep>> }> = []
    const sizedRounds: Array<{ local: Measured; queue: Measured }> = []
    for (let rep = 0; rep < REPS; rep++) {
      // Queue overhead per job: from the submission of the jobs until the last result is
      // stored, the two workers' slots were there for that time × 2; what they did not spend
      // simulating went to fetching, locking, returning and storing. (Planning the sweep is the
      // same work as on the local pool and is not counted.)
      const tinySeeds = next(TINY_JOBS)
      const sizedSeeds = next(SIZED_RUNS)
      const L = () => localSweep(services, seedSweep(tiny, TINY_JOBS, tinySeeds))
      const Q = () => queueSweep(redis.url, remoteDb, seedSweep(tiny, TINY_JOBS, tinySeeds), pids)
      const SL = () => localSweep(services, seedSweep(sized, SIZED_RUNS, sizedSeeds))
      const SQ = () =>
        queueSweep(redis.url, remoteDb, seedSweep(sized, SIZED_RUNS, sizedSeeds), pids)
      if (rep % 2 === 0) {
        const local = await L()
        tinyRounds.push({ local, queue: await Q() })
        const sl = await SL()
        sizedRounds.push({ local: sl, queue: await SQ() })
      } else {
        const queue = await Q()
        tinyRounds.push({ queue, local: await L() })
        const sq = await SQ()
        sizedRounds.push({ queue: sq, local: await SL() })
      }
    }

    const overheads = tinyRounds.map(
      (r) => (r.queue.submittedToStoredS * WORKERS * 1000 - r.queue.jobWallMs) / TINY_JOBS,
    )
    const overheadMsPerJob = median(overheads)
    // The same tiny jobs: CPU the queue spent beyond the local pool's, per job.
    const cpuOverheadMsPerJob = median(
      tinyRounds.map((r) => ((r.queue.cpuS - r.local.cpuS) * 1000) / TINY_JOBS),
    )
    const sum = (xs: Measured[], k: keyof Measured) => xs.reduce((s, x) => s + x[k], 0)
    const sizedLocal = sizedRounds.map((r) => r.local)
    const sizedQueue = sizedRounds.map((r) => r.queue)
    // Pooled over the interleaved repetitions, so a neighbour's burst weighs on both sides.
    const wallRatio = sum(sizedQueue, 'wallS') / sum(sizedLocal, 'wallS')
    const cpuRatio = sum(sizedQueue, 'cpuS') / sum(sizedLocal, 'cpuS')

    const results = {
      workers: WORKERS,
      repetitions: REPS,
      tinyJobs: TINY_JOBS,
      tinyLocalWallS: tinyRounds.map((r) => round(r.local.wallS)),
      tinyQueueWallS: tinyRounds.map((r) => round(r.queue.wallS)),
      tinyLocalCpuS: tinyRounds.map((r) => round(r.local.cpuS)),
      tinyQueueCpuS: tinyRounds.map((r) => round(r.queue.cpuS)),
      tinySubmitterCpuS: tinyRounds.map((r) => round(r.queue.submitterCpuS)),
      overheadMsPerJobEach: overheads.map((x) => round(x, 2)),
      overheadMsPerJob: round(overheadMsPerJob, 2),
      cpuOverheadMsPerJob: round(cpuOverheadMsPerJob, 2),
      sizedRuns: SIZED_RUNS,
      sizedLocalWallS: sizedLocal.map((r) => round(r.wallS)),
      sizedQueueWallS: sizedQueue.map((r) => round(r.wallS)),
      sizedLocalCpuS: sizedLocal.map((r) => round(r.cpuS)),
      sizedQueueCpuS: sizedQueue.map((r) => round(r.cpuS)),
      queueVsLocalRatio: round(wallRatio),
      queueVsLocalCpuRatio: round(cpuRatio),
      targetsMet: overheadMsPerJob <= 20 && wallRatio <= 1.1,
    }
    console.log(
      `queue: ${TINY_JOBS} tiny jobs on ${WORKERS} workers in ${results.tinyQueueWallS.join(', ')} s (local pool ${results.tinyLocalWallS.join(', ')} s) → ${results.overheadMsPerJob} ms queue overhead per job (median of ${results.overheadMsPerJobEach.join(', ')}; target ≤ 20); CPU ${results.tinyQueueCpuS.join(', ')} s vs ${results.tinyLocalCpuS.join(', ')} s → ${results.cpuOverheadMsPerJob} ms CPU per job beyond the pool's`,
    )
    console.log(
      `queue: ${SIZED_RUNS} runs of 120 s simulated, ${REPS}× interleaved: ${results.sizedQueueWallS.join(', ')} s on ${WORKERS} workers vs ${results.sizedLocalWallS.join(', ')} s on the local pool → ×${results.queueVsLocalRatio} wall (target ≤ 1.10); CPU ${results.sizedQueueCpuS.join(', ')} s vs ${results.sizedLocalCpuS.join(', ')} s → ×${results.queueVsLocalCpuRatio}`,
    )
    return results
  } finally {
    for (const w of workers) w.child.kill('SIGTERM')
    services.close()
    await redis.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
