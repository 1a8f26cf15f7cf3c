import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { resolveResourcesDir } from '../../../../../main/services'
import {
  createPresetSource,
  resolveExperiment,
  type PresetCatalog,
} from '../../../../../main/services/experiments'
import { createSimWorker } from '../../../../../main/services/worker'
import {
  workerMessageSchema,
  type RunJobMessage,
  type WorkerMessage,
} from '../../../../../main/services/worker/messages'

// The worker compiles the engine through tsx on start; a loaded 2-core machine is slow.
vi.setConfig({ testTimeout: 120_000 })

const RESOURCES = resolveResourcesDir()
let catalog: PresetCatalog
beforeAll(async () => {
  catalog = await createPresetSource(RESOURCES).catalog()
})

let worker: Worker | null = null
afterEach(async () => {
  await worker?.terminate()
  worker = null
})

function example(name: string, over: Record<string, unknown> = {}) {
  const doc = JSON.parse(readFileSync(join(RESOURCES, 'examples', name), 'utf8'))
  return resolveExperiment({ ...doc, ...over }, catalog)
}

/** Posts one job and collects the worker's messages until its result or error. */
function runJob(
  w: Worker,
  job: Omit<RunJobMessage, 'type' | 'cancel'>,
  onMessage?: (m: WorkerMessage, cancel: Int32Array) => void,
): Promise<WorkerMessage[]> {
  const cancel = new SharedArrayBuffer(4)
  const flag = new Int32Array(cancel)
  const seen: WorkerMessage[] = []
  return new Promise((resolve, reject) => {
    w.on('error', reject)
    w.on('message', (raw) => {
      const m = workerMessageSchema.parse(raw)
      seen.push(m)
      onMessage?.(m, flag)
      if (m.type !== 'progress') resolve(seen)
    })
    w.postMessage({ type: 'run', cancel, ...job } satisfies RunJobMessage)
  })
}

describe('the simulation worker (real engine, through tsx)', () => {
  it('runs an example to the end and posts progress then a result the pool accepts', async () => {
    worker = createSimWorker()
    const exp = example('kv-store-first-touch.json', { durationS: 2 })
    const seen = await runJob(worker, { runId: 5, experiment: exp, progressIntervalMs: 0 })
    const last = seen.at(-1)!
    expect(last.type).toBe('result')
    if (last.type !== 'result') return
    expect(last.runId).toBe(5)
    expect(last.result.cancelled).toBe(false)
    for (const key of ['throughputOpsPerS', 'meanLatencyNs', 'topTierHitRatio', 'promotedBytes']) {
      expect(typeof last.result.summary[key]).toBe('number')
    }
    expect(last.result.processes.map((p) => p.id)).toEqual(['server'])
    const progress = seen.filter((m) => m.type === 'progress')
    // 2 s of 10 ms epochs = 200 epochs; the last progress is the last epoch.
    expect(progress.at(-1)).toMatchObject({ epoch: 200, epochs: 200, durationS: 2 })
    const epochs = progress.map((m) => (m.type === 'progress' ? m.epoch : 0))
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b))
  })

  it('throttles progress to the interval, and stops at the next epoch when the flag is set', async () => {
    worker = createSimWorker()
    const exp = example('kv-store-numa-tiering.json', { durationS: 600 })
    const seen = await runJob(
      worker,
      { runId: 6, experiment: exp, progressIntervalMs: 60_000 },
      (m, flag) => {
        if (m.type === 'progress') Atomics.store(flag, 0, 1)
      },
    )
    // One minute between reports: only the first epoch's progress gets out before the cancel.
    expect(seen.map((m) => m.type)).toEqual(['progress', 'result'])
    const last = seen[1]
    expect(last.type === 'result' && last.result.cancelled).toBe(true)
  })

  it('reports an impossible experiment as an input error and stays usable', async () => {
    worker = createSimWorker()
    const exp = example('kv-store-first-touch.json')
    // Bypasses resolution on purpose: the engine's own check answers.
    const broken = { ...exp, policy: { id: 'no-such-policy', params: {} } }
    const [msg] = await runJob(worker, { runId: 7, experiment: broken, progressIntervalMs: 0 })
    expect(msg).toMatchObject({ type: 'error', runId: 7, inputError: true })
    expect(msg.type === 'error' && msg.message).toMatch(/unknown policy "no-such-policy"/)
    const again = await runJob(worker, {
      runId: 8,
      experiment: example('kv-store-first-touch.json', { durationS: 0.05 }),
      progressIntervalMs: 0,
    })
    expect(again.at(-1)?.type).toBe('result')
  })
})
