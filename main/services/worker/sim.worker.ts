import { parentPort, type MessagePort } from 'node:worker_threads'
import {
  BUILTIN_POLICIES,
  runSimulation,
  SimulationInputError,
  type ResolvedExperiment,
} from '../../engine'
import type { RunJobMessage, WorkerMessage } from './messages'

/**
 * The simulation worker: a thin shim that runs one experiment at a time through the engine and
 * posts throttled progress and the result. The pool owns queueing, status and the store.
 */
if (!parentPort) throw new Error('sim.worker must run in a worker thread')
const port: MessagePort = parentPort

function post(message: WorkerMessage): void {
  port.postMessage(message)
}

function run(job: RunJobMessage): void {
  const flag = new Int32Array(job.cancel)
  let lastPostMs = -Infinity
  try {
    const result = runSimulation(job.experiment as ResolvedExperiment, BUILTIN_POLICIES, {
      // Per-epoch calls are cheap; the wall-clock throttle below bounds the messages.
      progressEveryEpochs: 1,
      shouldCancel: () => Atomics.load(flag, 0) !== 0,
      onProgress(p) {
        const nowMs = performance.now()
        if (nowMs - lastPostMs < job.progressIntervalMs && p.epoch < p.epochs) return
        lastPostMs = nowMs
        post({ type: 'progress', runId: job.runId, ...p })
      },
    })
    post({ type: 'result', runId: job.runId, result })
  } catch (err) {
    post({
      type: 'error',
      runId: job.runId,
      message: err instanceof Error ? err.message : String(err),
      inputError: err instanceof SimulationInputError,
    })
  }
}

port.on('message', (msg: RunJobMessage) => {
  if (msg?.type === 'run') run(msg)
})
