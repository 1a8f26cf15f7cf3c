import { availableParallelism, hostname } from 'node:os'
import type { Worker as ThreadWorker } from 'node:worker_threads'
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq'
import { ENGINE_VERSION } from '../../engine'
import { createRunPool } from '../runs/pool'
import { createSimWorker } from '../worker/create-sim-worker'
import type { WorkerSimulationResult } from '../worker/messages'
import { connectionOptions, checkReachable } from './connection'
import { JOB_ATTEMPTS, jobDataSchema, QUEUE_NAME, type JobResult } from './jobs'
import type { QueueAddress } from './redis-url'
import { encodeResult } from './result-codec'

export interface QueueWorkerOptions {
  address: QueueAddress
  /** Simulations at once; one per core by default. */
  concurrency?: number
  /** The engine this worker computes with; tests pass another to play an outdated worker. */
  engineVersion?: string
  createWorker?: () => ThreadWorker
  /**
   * How long a job's lock lasts without renewal, ms: a worker killed mid-job loses its jobs to
   * another worker after about this long (BullMQ renews every half of it while alive).
   */
  lockMs?: number
  /** One line per event worth telling the operator (stderr in the CLI). */
  log?: (line: string) => void
}

export interface QueueWorker {
  /** Resolves when the worker has stopped; `refused` explains a stop for another engine. */
  readonly stopped: Promise<{ refused: string | null }>
  /** Jobs completed by this worker so far. */
  completed(): number
  /** Stops taking jobs, lets running ones finish, then closes. */
  close(): Promise<void>
}

interface Pending {
  resolve(result: WorkerSimulationResult): void
  reject(err: Error): void
  job: Job
  startedMs: number
  lastProgressMs: number
}

/**
 * `tierlab worker`: takes sweep jobs from the Redis queue and runs them on the same worker-thread
 * pool as the app; needs no database, returns each result through the queue. The simulation runs
 * in threads, so this thread stays free to renew job locks.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const { address } = options
  const engineVersion = options.engineVersion ?? ENGINE_VERSION
  const concurrency = options.concurrency ?? availableParallelism()
  const lockMs = options.lockMs ?? 30_000
  const log = options.log ?? (() => undefined)
  await checkReachable(address)

  const pending = new Map<number, Pending>()
  let nextLocalId = 1
  let done = 0
  const pool = createRunPool({
    size: concurrency,
    createWorker: options.createWorker ?? createSimWorker,
    progressIntervalMs: 1000,
    hooks: {
      started: () => undefined,
      progress(id, p) {
        const entry = pending.get(id)
        // The last epoch's report is followed at once by the result: not worth a round trip.
        if (!entry || p.epoch >= p.epochs) return
        entry.lastProgressMs = performance.now()
        void entry.job
          .updateProgress({ simulatedS: p.simulatedS, durationS: p.durationS })
          .catch(() => undefined)
      },
      finished(id, result) {
        pending.get(id)?.resolve(result)
        pending.delete(id)
      },
      failed(id, message) {
        pending.get(id)?.reject(new Error(message))
        pending.delete(id)
      },
      cancelled(id) {
        pending.get(id)?.reject(new Error('the simulation was cancelled on the worker'))
        pending.delete(id)
      },
    },
  })

  let refused: string | null = null
  let resolveStopped!: (v: { refused: string | null }) => void
  const stopped = new Promise<{ refused: string | null }>((r) => (resolveStopped = r))

  const worker = new Worker<unknown, JobResult>(
    QUEUE_NAME,
    async (job, token) => {
      const parsed = jobDataSchema.safeParse(job.data)
      if (!parsed.success) {
        throw new UnrecoverableError(
          `job ${job.id} is not a Tierlab run (${parsed.error.issues[0]?.message}); it was not submitted by tierlab sweep`,
        )
      }
      const data = parsed.data
      if (data.engineVersion !== engineVersion) {
        // Refuse: this engine would compute the run differently. The job goes back untouched
        // (no attempt used) for a worker of the right version, and this worker stops.
        refused ??= `this worker runs engine ${engineVersion}, but job ${job.id} (${data.name}) was submitted for engine ${data.engineVersion}; start a worker of Tierlab with engine ${data.engineVersion}`
        log(`refused: ${refused}`)
        await job.moveToDelayed(Date.now() + 1000, token)
        setImmediate(() => void shutdown())
        throw new DelayedError()
      }
      const id = nextLocalId++
      const startedMs = performance.now()
      log(`job ${job.id}: ${data.name} (attempt ${job.attemptsMade + 1} of ${JOB_ATTEMPTS})`)
      const result = await new Promise<WorkerSimulationResult>((resolve, reject) => {
        pending.set(id, { resolve, reject, job, startedMs, lastProgressMs: startedMs })
        pool.enqueue(id, data.experiment)
      })
      done++
      return encodeResult(
        result,
        Math.round(performance.now() - startedMs),
        `${hostname()}:${process.pid}`,
      )
    },
    {
      connection: connectionOptions(address),
      concurrency,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.round(lockMs / 2)),
      // A job whose worker died is retried; a job that kills workers twice more is failed.
      maxStalledCount: JOB_ATTEMPTS - 1,
      // Long-poll at most 0.5 s when idle: a new sweep's first jobs were seen to wait out most of
      // the 5 s default on an idle worker, which cost a short sweep seconds.
      drainDelay: 0.5,
      autorun: true,
    },
  )
  worker.on('error', (err) => log(`queue error: ${err.message}`))
  worker.on('failed', (job, err) => {
    if (job) log(`job ${job.id} failed: ${err.message}`)
  })

  let closing: Promise<void> | null = null
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      await worker.close().catch(() => undefined)
      pool.close()
      resolveStopped({ refused })
    })()
    return closing
  }

  return { stopped, completed: () => done, close: shutdown }
}
