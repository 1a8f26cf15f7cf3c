import { afterEach, describe, expect, it } from 'vitest'
import { createRunPool, type RunPool } from '../../../../../main/services/runs/pool'
import { createFakeWorker, type FakeExperiment } from './fake-worker'

type Event =
  | { kind: 'started' | 'cancelled'; runId: number }
  | { kind: 'progress'; runId: number; epoch: number }
  | { kind: 'finished'; runId: number; throughput: number }
  | { kind: 'failed'; runId: number; message: string }

let pool: RunPool | null = null
afterEach(() => {
  pool?.close()
  pool = null
})

/** A pool of fake workers that records every hook call and the most runs live at once. */
function recordingPool(size: number, extra: { cancelGraceMs?: number } = {}) {
  const events: Event[] = []
  let maxRunning = 0
  const waiters: Array<{ runId: number; resolve(): void }> = []
  const end = (runId: number) => {
    for (const w of waiters.filter((w) => w.runId === runId)) w.resolve()
  }
  const p = createRunPool({
    size,
    createWorker: createFakeWorker,
    progressIntervalMs: 0,
    ...extra,
    hooks: {
      started(runId) {
        events.push({ kind: 'started', runId })
        maxRunning = Math.max(maxRunning, p.running().length)
      },
      progress: (runId, m) => events.push({ kind: 'progress', runId, epoch: m.epoch }),
      finished(runId, r) {
        events.push({ kind: 'finished', runId, throughput: r.summary.throughputOpsPerS })
        end(runId)
      },
      failed(runId, message) {
        events.push({ kind: 'failed', runId, message })
        end(runId)
      },
      cancelled(runId) {
        events.push({ kind: 'cancelled', runId })
        end(runId)
      },
    },
  })
  pool = p
  const run = (runId: number, exp: FakeExperiment) => {
    const done = new Promise<void>((resolve) => waiters.push({ runId, resolve }))
    p.enqueue(runId, exp)
    return done
  }
  return { pool: p, events, run, maxRunning: () => maxRunning }
}

/** Polls until `cond` holds: worker threads start at their own pace on a loaded machine. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5))
}

const outcome = (events: Event[], runId: number) =>
  events.find((e) => e.runId === runId && ['finished', 'failed', 'cancelled'].includes(e.kind))

describe('run pool', () => {
  it('runs a job to the end with progress in epoch order and routes the result to its run', async () => {
    const { events, run } = recordingPool(1)
    await run(7, { behaviour: 'finish', epochs: 3 })
    expect(events.map((e) => e.kind)).toEqual([
      'started',
      'progress',
      'progress',
      'progress',
      'finished',
    ])
    expect(
      events.filter((e) => e.kind === 'progress').map((e) => (e as { epoch: number }).epoch),
    ).toEqual([1, 2, 3])
    // The fake reports throughput = runId × 10 = 70.
    expect(outcome(events, 7)).toEqual({ kind: 'finished', runId: 7, throughput: 70 })
  })

  it('starts queued runs first in, first out, never more at once than the pool size', async () => {
    const { pool, events, run, maxRunning } = recordingPool(2)
    const runs = [1, 2, 3, 4, 5].map((id) =>
      run(id, { behaviour: 'finish', epochs: 4, stepMs: 10 }),
    )
    // Two workers: runs 1 and 2 start at once, 3..5 wait their turn.
    expect(pool.running()).toEqual([1, 2])
    expect(pool.queued()).toEqual([3, 4, 5])
    await Promise.all(runs)
    const starts = events.filter((e) => e.kind === 'started').map((e) => e.runId)
    expect(starts).toEqual([1, 2, 3, 4, 5])
    expect(maxRunning()).toBe(2)
    // Workers are reused: five runs, two threads.
    expect(pool.workerCount()).toBe(2)
  })

  it('a worker that crashes fails only its own run, and a fresh worker takes the next', async () => {
    const { pool, events, run } = recordingPool(2)
    const a = run(1, { behaviour: 'finish', epochs: 6, stepMs: 20 })
    const b = run(2, { behaviour: 'crash' })
    const c = run(3, { behaviour: 'finish', epochs: 2 })
    await Promise.all([a, b, c])
    const failed = outcome(events, 2)
    expect(failed?.kind).toBe('failed')
    expect((failed as { message: string }).message).toMatch(
      /simulation worker crashed: fake worker crashed on run 2/,
    )
    expect(outcome(events, 1)?.kind).toBe('finished')
    expect(outcome(events, 3)).toEqual({ kind: 'finished', runId: 3, throughput: 30 })
    expect(pool.workerCount()).toBe(2)
  })

  it('an exiting worker and a malformed reply each fail their run; a thrown input error keeps the worker', async () => {
    const { pool, events, run } = recordingPool(1)
    await run(1, { behaviour: 'exit' })
    expect((outcome(events, 1) as { message: string }).message).toMatch(/exit code 3/)
    await run(2, { behaviour: 'garbage' })
    expect((outcome(events, 2) as { message: string }).message).toMatch(
      /^the simulation worker sent a malformed message \(result: .*\); this is a Tierlab bug$/,
    )
    await run(3, { behaviour: 'throw' })
    expect(outcome(events, 3)).toEqual({
      kind: 'failed',
      runId: 3,
      message: 'impossible experiment 3',
    })
    await run(4, { behaviour: 'finish', epochs: 1 })
    expect(outcome(events, 4)?.kind).toBe('finished')
    // A progress report with a NaN live number is dropped; the run itself finishes.
    await run(5, { behaviour: 'nan-progress', epochs: 1 })
    expect(outcome(events, 5)?.kind).toBe('finished')
    expect(events.filter((e) => e.kind === 'progress' && e.runId === 5)).toHaveLength(1)
    expect(pool.workerCount()).toBe(1)
  })

  it('cancels a queued run without starting it, and a running one at its next epoch', async () => {
    const { pool, events, run } = recordingPool(1)
    const running = run(1, { behaviour: 'finish', epochs: 1000, stepMs: 5 })
    const queued = run(2, { behaviour: 'finish', epochs: 1 })
    expect(pool.cancel(2)).toBe('queued')
    await queued
    expect(events.some((e) => e.kind === 'started' && e.runId === 2)).toBe(false)
    await until(() => events.some((e) => e.kind === 'progress'))
    expect(pool.cancel(1)).toBe('running')
    await running
    expect(outcome(events, 1)?.kind).toBe('cancelled')
    const epochs = events.filter((e) => e.kind === 'progress').length
    expect(epochs).toBeGreaterThan(0)
    expect(epochs).toBeLessThan(1000)
    // The worker survived the cooperative cancel.
    expect(pool.workerCount()).toBe(1)
    expect(pool.cancel(99)).toBe('unknown')
  })

  it('terminates a worker that ignores the cancel flag after the grace period', async () => {
    const { pool, events, run } = recordingPool(1, { cancelGraceMs: 200 })
    const hung = run(1, { behaviour: 'hang' })
    const next = run(2, { behaviour: 'finish', epochs: 1 })
    await new Promise((r) => setTimeout(r, 50))
    expect(pool.cancel(1)).toBe('running')
    await hung
    expect(outcome(events, 1)?.kind).toBe('cancelled')
    await next
    expect(outcome(events, 2)?.kind).toBe('finished')
  })

  it('close terminates the workers, empties the queue and returns the live runs without hooks', async () => {
    const { pool, events, run } = recordingPool(1)
    void run(1, { behaviour: 'finish', epochs: 1000, stepMs: 5 })
    void run(2, { behaviour: 'finish', epochs: 1 })
    expect(pool.close()).toEqual([1, 2])
    await new Promise((r) => setTimeout(r, 50))
    expect(events.filter((e) => e.kind !== 'started' && e.kind !== 'progress')).toEqual([])
    expect(pool.workerCount()).toBe(0)
    expect(() => pool.enqueue(3, {})).toThrow(/closed/)
  })
})
