import type { Worker } from 'node:worker_threads'
import {
  workerMessageSchema,
  type ProgressMessage,
  type RunJobMessage,
  type WorkerSimulationResult,
} from '../worker/messages'

/** What the pool reports; the run queue turns each into a store write and an event. */
export interface RunPoolHooks {
  /** A worker took the run from the queue. */
  started(runId: number): void
  progress(runId: number, progress: ProgressMessage): void
  finished(runId: number, result: WorkerSimulationResult): void
  /** The engine threw, or the worker crashed or sent garbage; `message` is for the user. */
  failed(runId: number, message: string): void
  /** Cancelled while queued, stopped by the engine at an epoch, or terminated after the grace. */
  cancelled(runId: number): void
}

export interface RunPoolOptions {
  /** Workers at most; each runs one experiment at a time. */
  size: number
  createWorker: () => Worker
  hooks: RunPoolHooks
  /** Least wall-clock time between two progress reports of one run, ms (100 → ≤ 10/s). */
  progressIntervalMs?: number
  /** How long a cancelled run may take to reach its next epoch before its worker is killed, ms. */
  cancelGraceMs?: number
}

export interface RunPool {
  /** Appends a run to the FIFO queue; it starts as soon as a worker is free. */
  enqueue(runId: number, experiment: unknown): void
  /** 'queued' and 'running' runs are cancelled (running ones asynchronously); else 'unknown'. */
  cancel(runId: number): 'queued' | 'running' | 'unknown'
  has(runId: number): boolean
  queued(): number[]
  running(): number[]
  /** Live worker threads (idle ones included). */
  workerCount(): number
  /**
   * Terminates every worker and empties the queue without calling any hook; returns the runs
   * that were queued or running so the caller can mark them interrupted.
   */
  close(): number[]
}

interface Job {
  runId: number
  experiment: unknown
  cancel: SharedArrayBuffer
}

interface Slot {
  worker: Worker
  job: Job | null
  /** Set once the pool has given up on this worker; its later events are ignored. */
  retired: boolean
  cancelTimer: ReturnType<typeof setTimeout> | null
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err))

/**
 * A pool of simulation worker threads with a FIFO queue of runs. Workers start on demand up to
 * `size` and are reused; one that crashes fails only its own run and is replaced on demand.
 */
export function createRunPool(options: RunPoolOptions): RunPool {
  const { size, createWorker, hooks } = options
  const progressIntervalMs = options.progressIntervalMs ?? 100
  const cancelGraceMs = options.cancelGraceMs ?? 2000
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`pool size must be ≥ 1, got ${size}`)

  const queue: Job[] = []
  const slots: Slot[] = []
  let closed = false

  const retire = (slot: Slot) => {
    slot.retired = true
    if (slot.cancelTimer) clearTimeout(slot.cancelTimer)
    slot.cancelTimer = null
    const i = slots.indexOf(slot)
    if (i >= 0) slots.splice(i, 1)
    void slot.worker.terminate().catch(() => undefined)
  }

  /** The slot's run is over (whatever the outcome); the worker may take the next one. */
  const release = (slot: Slot): Job | null => {
    const job = slot.job
    slot.job = null
    if (slot.cancelTimer) clearTimeout(slot.cancelTimer)
    slot.cancelTimer = null
    // An idle worker must not keep a CLI or test process alive.
    if (!slot.retired) slot.worker.unref()
    return job
  }

  /** Reports a hook without letting a failing listener break the pool's bookkeeping. */
  const report = (fn: () => void) => {
    try {
      fn()
    } catch (err) {
      console.error('tierlab: run pool hook failed:', err)
    }
  }

  const crash = (slot: Slot, message: string) => {
    if (slot.retired) return
    const job = slot.job
    retire(slot)
    if (job) report(() => hooks.failed(job.runId, message))
    pump()
  }

  const spawn = (): Slot | null => {
    let worker: Worker
    try {
      worker = createWorker()
    } catch (err) {
      const job = queue.shift()
      if (job) {
        report(() => hooks.failed(job.runId, `cannot start a simulation worker: ${describe(err)}`))
      }
      return null
    }
    const slot: Slot = { worker, job: null, retired: false, cancelTimer: null }
    worker.on('message', (raw: unknown) => {
      if (slot.retired) return
      const parsed = workerMessageSchema.safeParse(raw)
      if (!parsed.success) {
        // A bad progress report (say a NaN live number) costs one update, not the run.
        if ((raw as { type?: unknown } | null)?.type === 'progress') return
        const issue = parsed.error.issues[0]
        crash(
          slot,
          `the simulation worker sent a malformed message (${issue.path.join('.') || 'message'}: ${issue.message}); this is a Tierlab bug`,
        )
        return
      }
      const msg = parsed.data
      const job = slot.job
      if (!job || msg.runId !== job.runId) return // stale: from a run already given up on
      if (msg.type === 'progress') {
        report(() => hooks.progress(job.runId, msg))
        return
      }
      release(slot)
      if (msg.type === 'error') report(() => hooks.failed(job.runId, msg.message))
      else if (msg.result.cancelled) report(() => hooks.cancelled(job.runId))
      else report(() => hooks.finished(job.runId, msg.result))
      pump()
    })
    worker.on('error', (err: Error) => {
      crash(slot, `the simulation worker crashed: ${describe(err)}`)
    })
    worker.on('exit', (code: number) => {
      crash(slot, `the simulation worker stopped unexpectedly (exit code ${code})`)
    })
    slots.push(slot)
    return slot
  }

  function pump(): void {
    while (!closed && queue.length > 0) {
      const slot = slots.find((s) => !s.job && !s.retired) ?? (slots.length < size ? spawn() : null)
      if (!slot) {
        if (slots.length >= size) return
        continue // spawning failed and failed that job; try the next one
      }
      const job = queue.shift()!
      slot.job = job
      slot.worker.ref()
      report(() => hooks.started(job.runId))
      const message: RunJobMessage = {
        type: 'run',
        runId: job.runId,
        experiment: job.experiment,
        cancel: job.cancel,
        progressIntervalMs,
      }
      try {
        slot.worker.postMessage(message)
      } catch (err) {
        crash(slot, `cannot send the experiment to the simulation worker: ${describe(err)}`)
      }
    }
  }

  const slotOf = (runId: number) => slots.find((s) => s.job?.runId === runId)

  return {
    enqueue(runId, experiment) {
      if (closed) throw new Error('the run pool is closed')
      queue.push({ runId, experiment, cancel: new SharedArrayBuffer(4) })
      pump()
    },
    cancel(runId) {
      const qi = queue.findIndex((j) => j.runId === runId)
      if (qi >= 0) {
        queue.splice(qi, 1)
        report(() => hooks.cancelled(runId))
        return 'queued'
      }
      const slot = slotOf(runId)
      if (!slot || !slot.job) return 'unknown'
      Atomics.store(new Int32Array(slot.job.cancel), 0, 1)
      // The engine checks the flag every epoch; a worker stuck elsewhere is killed instead.
      slot.cancelTimer ??= setTimeout(() => {
        if (slot.retired || slot.job?.runId !== runId) return
        retire(slot)
        report(() => hooks.cancelled(runId))
        pump()
      }, cancelGraceMs)
      return 'running'
    },
    has: (runId) => queue.some((j) => j.runId === runId) || slotOf(runId) !== undefined,
    queued: () => queue.map((j) => j.runId),
    running: () => slots.filter((s) => s.job).map((s) => s.job!.runId),
    workerCount: () => slots.length,
    close() {
      if (closed) return []
      closed = true
      const live = [
        ...slots.filter((s) => s.job).map((s) => s.job!.runId),
        ...queue.map((j) => j.runId),
      ]
      queue.length = 0
      for (const slot of [...slots]) retire(slot)
      return live
    },
  }
}
