import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { ApiError } from '../../../shared/api'
import { policyLabel } from '../../../shared/formats/experiment'
import type { RunRecord, RunStatus, SweepValue } from '../../../shared/runs'
import { ENGINE_VERSION, type ResolvedExperiment } from '../../engine'
import { storageFailure, StoreError, type Store } from '../../store'
import type { ServiceEvents } from '../types'
import { createSimWorker } from '../worker/create-sim-worker'
import type { ProgressMessage, WorkerSimulationResult } from '../worker/messages'
import { createRunPool, type RunPool } from './pool'

export const TERMINAL_STATUSES: readonly RunStatus[] = [
  'done',
  'failed',
  'cancelled',
  'interrupted',
]
export const isTerminal = (status: RunStatus) => TERMINAL_STATUSES.includes(status)

export interface RunQueueOptions {
  store: Store
  events: ServiceEvents
  /** Worker threads at most; one per core by default. */
  poolSize?: number
  /** Tests pass a fake; defaults to the real simulation worker. */
  createWorker?: () => Worker
  progressIntervalMs?: number
  cancelGraceMs?: number
  /** Monotonic wall clock, ms, for wall times and ETAs. */
  clockMs?: () => number
}

export interface QueueRunInput {
  name?: string
  experiment: ResolvedExperiment
  tags?: string[]
  batch?: string | null
  sweepPoint?: Record<string, SweepValue> | null
  replicate?: number | null
  jobId?: string | null
}

export interface RunQueue {
  /** Archives the run as queued and hands it to the pool. */
  enqueue(input: QueueRunInput): RunRecord
  /** Cancels a run queued or running in this process; resolves with its final record. */
  cancel(id: number): Promise<RunRecord>
  /** Deletes runs (cancelling live ones first); returns how many existed. */
  delete(ids: number[]): number
  /** Resolves once the run is done, failed, cancelled or interrupted. */
  settled(id: number): Promise<RunRecord>
  /** Terminates the workers and marks the runs they still held interrupted. */
  close(): void
  readonly pool: RunPool
}

const INTERRUPTED_AT_CLOSE =
  'Interrupted: Tierlab closed before the run finished. Run the experiment again.'

/**
 * The run queue: every status change goes through the store (each a transaction there) and is
 * announced on `events`; the simulation itself runs in the pool's worker threads.
 */
export function createRunQueue(options: RunQueueOptions): RunQueue {
  const { store, events } = options
  const clockMs = options.clockMs ?? (() => performance.now())
  const startedAtMs = new Map<number, number>()
  const waiters = new Map<
    number,
    Array<{ resolve(r: RunRecord): void; reject(e: unknown): void }>
  >()

  const settle = (id: number, outcome: { record: RunRecord } | { error: unknown }) => {
    const list = waiters.get(id)
    waiters.delete(id)
    for (const w of list ?? []) {
      if ('record' in outcome) w.resolve(outcome.record)
      else w.reject(outcome.error)
    }
  }

  /** One status write; a run deleted meanwhile is not an error worth more than settling. */
  const write = (id: number, fn: () => RunRecord): RunRecord | null => {
    try {
      const record = fn()
      events.emit({ type: 'run-status', runId: id, status: record.status })
      events.emit({ type: 'changed', what: 'runs' })
      if (isTerminal(record.status)) {
        startedAtMs.delete(id)
        firstProgress.delete(id)
        settle(id, { record })
      }
      return record
    } catch (err) {
      startedAtMs.delete(id)
      firstProgress.delete(id)
      if (err instanceof StoreError && err.code === 'not-found') {
        events.emit({ type: 'changed', what: 'runs' }) // deleted while it ran
        settle(id, { error: err })
        return null
      }
      return recordFailure(id, err)
    }
  }

  /**
   * A status write failed (a full disk, a read-only file): the run must not stay 'running'. The
   * failure is recorded if the store still takes that small update (a full disk usually does: the
   * failed write rolled back); either way every waiter and listener learns the run ended.
   */
  const recordFailure = (id: number, err: unknown): RunRecord | null => {
    const reason = storageFailure(store.path, err)
    const message = `Could not save the run's result: ${reason?.message ?? (err instanceof Error ? err.message : String(err))}`
    if (!reason) console.error(`tierlab: cannot record the status of run ${id}:`, err)
    let record: RunRecord | null = null
    try {
      if (!isTerminal(store.runs.get(id)?.status ?? 'failed')) record = store.runs.fail(id, message)
    } catch {
      // The store takes nothing at all; the run is ended in this process only, and the next
      // open marks it interrupted (its owner is gone by then).
    }
    events.emit({ type: 'run-status', runId: id, status: record?.status ?? 'failed' })
    events.emit({ type: 'changed', what: 'runs' })
    if (record) settle(id, { record })
    else settle(id, { error: reason ?? err })
    return record
  }

  /** The first progress of each run: worker start-up (tsx, engine set-up) is not the run's pace. */
  const firstProgress = new Map<number, { wallMs: number; simulatedS: number }>()

  const progress = (id: number, p: ProgressMessage) => {
    const nowMs = clockMs()
    const first = firstProgress.get(id)
    if (!first) firstProgress.set(id, { wallMs: nowMs, simulatedS: p.simulatedS })
    // Remaining simulated time at the pace seen since the first report (wall s per simulated s).
    const wallS = first ? (nowMs - first.wallMs) / 1000 : 0
    const simulatedS = first ? p.simulatedS - first.simulatedS : 0
    const etaS =
      wallS > 0 && simulatedS > 0
        ? Math.max(0, ((p.durationS - p.simulatedS) * wallS) / simulatedS)
        : null
    events.emit({
      type: 'run-progress',
      runId: id,
      epoch: p.epoch,
      simulatedS: p.simulatedS,
      durationS: p.durationS,
      etaS,
      live: p.live,
    })
  }

  const finished = (id: number, result: WorkerSimulationResult) => {
    const started = startedAtMs.get(id)
    const wallMs = started === undefined ? 0 : Math.round(clockMs() - started)
    write(id, () =>
      store.runs.finish(id, {
        summary: result.summary,
        processes: result.processes,
        nodes: result.nodes,
        warnings: result.warnings,
        series: result.series,
        heatmap: result.heatmap,
        wallMs,
      }),
    )
  }

  const pool = createRunPool({
    size: options.poolSize ?? availableParallelism(),
    createWorker: options.createWorker ?? createSimWorker,
    progressIntervalMs: options.progressIntervalMs,
    cancelGraceMs: options.cancelGraceMs,
    hooks: {
      started(id) {
        startedAtMs.set(id, clockMs())
        write(id, () => store.runs.markRunning(id))
      },
      progress,
      finished,
      failed: (id, message) => write(id, () => store.runs.fail(id, message)),
      cancelled: (id) => write(id, () => store.runs.cancel(id)),
    },
  })

  const mustGet = (id: number): RunRecord => {
    const run = store.runs.get(id)
    if (!run) {
      throw new ApiError(
        'not-found',
        `There is no run with id ${id}; \`tierlab list\` shows the archive.`,
      )
    }
    return run
  }

  let closed = false
  return {
    pool,
    enqueue({ name, experiment, tags, batch, sweepPoint, replicate, jobId }) {
      if (closed)
        throw new ApiError('unavailable', 'Tierlab is shutting down; start the run again.')
      const record = store.runs.create({
        name: name ?? experiment.name,
        experiment,
        engineVersion: ENGINE_VERSION,
        seed: experiment.seed,
        policyId: policyLabel(experiment.policy),
        topologyName: experiment.topology.name,
        workloadName: experiment.workload.name,
        tags: [...(experiment.tags ?? []), ...(tags ?? [])],
        notes: experiment.notes,
        batch: batch ?? null,
        sweepPoint: sweepPoint ?? null,
        replicate: replicate ?? null,
        jobId: jobId ?? null,
      })
      events.emit({ type: 'run-status', runId: record.id, status: record.status })
      events.emit({ type: 'changed', what: 'runs' })
      pool.enqueue(record.id, experiment)
      return record
    },

    async cancel(id) {
      const current = mustGet(id)
      if (pool.cancel(id) === 'unknown') {
        if (isTerminal(current.status)) {
          throw new ApiError(
            'conflict',
            `Run ${id} is already ${current.status}; only a queued or running run can be cancelled.`,
          )
        }
        throw new ApiError(
          'conflict',
          `Run ${id} is ${current.status} in another Tierlab process; cancel it there.`,
        )
      }
      return this.settled(id)
    },

    delete(ids) {
      for (const id of ids) if (pool.has(id)) pool.cancel(id)
      const deleted = store.runs.delete(ids)
      if (deleted > 0) events.emit({ type: 'changed', what: 'runs' })
      return deleted
    },

    settled(id) {
      let run: RunRecord
      try {
        run = mustGet(id)
      } catch (err) {
        return Promise.reject(err)
      }
      if (isTerminal(run.status)) return Promise.resolve(run)
      return new Promise<RunRecord>((resolve, reject) => {
        const list = waiters.get(id) ?? []
        list.push({ resolve, reject })
        waiters.set(id, list)
      })
    },

    close() {
      if (closed) return
      closed = true
      for (const id of pool.close()) {
        write(id, () => store.runs.interrupt(id, INTERRUPTED_AT_CLOSE))
      }
      for (const id of [...waiters.keys()]) {
        settle(id, { error: new ApiError('unavailable', INTERRUPTED_AT_CLOSE) })
      }
    },
  }
}
