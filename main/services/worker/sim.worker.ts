import { parentPort, type MessagePort } from 'node:worker_threads'
import {
  BUILTIN_POLICIES,
  releaseRunArrays,
  runSimulation,
  SimulationInputError,
  type ResolvedExperiment,
} from '../../engine'
import { compileScriptPolicy, type ScriptPolicy } from '../../engine'
import { scriptFileName } from '../experiments/script-policy'
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

/**
 * The engine keeps a finished run's per-frame arrays for the next run in this thread (up to
 * 512 MiB: engine/memory/run-arrays.ts), which spares a sweep's runs their page faults. A worker
 * left idle this long gives them back.
 */
const IDLE_RELEASE_MS = 30_000
let idleTimer: ReturnType<typeof setTimeout> | null = null

async function run(job: RunJobMessage): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer)
  idleTimer = null
  const flag = new Int32Array(job.cancel)
  let lastPostMs = -Infinity
  let script: ScriptPolicy | null = null
  try {
    const experiment = job.experiment as ResolvedExperiment
    // A user policy gets its own sandbox for this run only (DESIGN.md §5).
    if (experiment.policy.script !== undefined && experiment.policy.source !== undefined)
      script = await compileScriptPolicy(experiment.policy.source, {
        fileName: scriptFileName(experiment.policy),
        limits: experiment.policy.limits,
      })
    const result = runSimulation(experiment, script ? script.def : BUILTIN_POLICIES, {
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
  } finally {
    script?.dispose()
    idleTimer = setTimeout(releaseRunArrays, IDLE_RELEASE_MS)
    // The timer must not keep a CLI or test process alive.
    idleTimer.unref()
  }
}

port.on('message', (msg: RunJobMessage) => {
  if (msg?.type === 'run') void run(msg)
})
