import { Worker } from 'node:worker_threads'

/** The experiment name that makes the fake behave so (for runs that go through resolution). */
export function fakeName(behaviour: FakeExperiment['behaviour'], epochs = 3, stepMs = 5): string {
  return `fake:${behaviour}:${epochs}:${stepMs}`
}

/**
 * A stand-in for the simulation worker that speaks the same protocol, so the pool can be tested
 * with real threads but without the engine. The "experiment" says how the fake behaves.
 */
export interface FakeExperiment {
  /** 'warn': finishes with an engine warning, as a run whose closed loop did not converge. */
  behaviour:
    'finish' | 'warn' | 'big' | 'crash' | 'exit' | 'throw' | 'garbage' | 'hang' | 'nan-progress'
  /** Epochs to simulate before the result, each taking `stepMs` of wall time. */
  epochs?: number
  stepMs?: number
}

const SOURCE = `
const { parentPort } = require('node:worker_threads')
parentPort.on('message', (job) => {
  // A resolved experiment carries its behaviour in its name: "fake:<behaviour>:<epochs>:<stepMs>".
  const e = job.experiment.behaviour ? job.experiment : (() => {
    const [, behaviour, epochs, stepMs] = String(job.experiment.name).split(':')
    return { behaviour, epochs: Number(epochs || 3), stepMs: Number(stepMs || 5) }
  })()
  const flag = new Int32Array(job.cancel)
  const runId = job.runId
  if (e.behaviour === 'crash') throw new Error('fake worker crashed on run ' + runId)
  if (e.behaviour === 'exit') process.exit(3)
  if (e.behaviour === 'throw') {
    parentPort.postMessage({ type: 'error', runId, message: 'impossible experiment ' + runId, inputError: true })
    return
  }
  if (e.behaviour === 'garbage') { parentPort.postMessage({ type: 'result', runId }); return }
  if (e.behaviour === 'hang') { for (;;) {} }
  if (e.behaviour === 'nan-progress') {
    parentPort.postMessage({ type: 'progress', runId, epoch: 1, epochs: 1, simulatedS: 1, durationS: 1, live: { x: NaN } })
  }
  const epochs = e.epochs ?? 3
  let epoch = 0
  const result = (cancelled) => ({
    type: 'result', runId,
    result: {
      summary: { throughputOpsPerS: runId * 10, epochsRun: epoch },
      processes: [{ id: 'p', throughputOpsPerS: runId * 10, meanLatencyNs: 100 }],
      nodes: [{ node: 0, component: 's0', usedBytes: runId * 4096, accessShare: 1 }],
      // 'big': a 1 MiB series (65,536 times and values), which needs many new database pages.
      series: e.behaviour === 'big'
        ? [{ key: 'k', label: 'K', unit: 'u', t: Array.from({ length: 65536 }, (_, i) => i), values: Array.from({ length: 65536 }, (_, i) => i / 3) }]
        : [{ key: 'k', label: 'K', unit: 'u', t: [0.5, 1], values: [runId, runId + 0.25] }],
      heatmap: null,
      cancelled,
      ...(e.behaviour === 'warn' ? { warnings: ['the closed loop did not converge in 2 epoch(s) of run ' + runId] } : {}),
    },
  })
  const step = () => {
    if (Atomics.load(flag, 0) !== 0) { parentPort.postMessage(result(true)); return }
    if (epoch === epochs) { parentPort.postMessage(result(false)); return }
    epoch++
    parentPort.postMessage({ type: 'progress', runId, epoch, epochs, simulatedS: epoch, durationS: epochs, live: { x: epoch } })
    setTimeout(step, e.stepMs ?? 5)
  }
  step()
})
`

export function createFakeWorker(): Worker {
  return new Worker(SOURCE, { eval: true })
}
