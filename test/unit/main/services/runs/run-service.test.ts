import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../../../../shared/api'
import { tempDb, type TempDb } from '../fixtures'
import { createFakeWorker, fakeName } from './fake-worker'
import { experimentDoc, runService } from './helpers'

let db: TempDb
let open: Array<{ close(): void }> = []
beforeEach(() => {
  db = tempDb()
})
afterEach(() => {
  for (const s of open) s.close()
  open = []
  db.cleanup()
})

function fakeService(extra: Parameters<typeof runService>[1] = {}) {
  const s = runService(db.dbPath, { createWorker: createFakeWorker, poolSize: 2, ...extra })
  open.push(s)
  return s
}

describe('run service on the worker pool (fake worker)', () => {
  it('queues, runs and archives a run, with status and progress events and an ETA from the wall-clock rate', async () => {
    // A clock that advances 1000 ms on every reading: started at 1000 ms, then one reading per
    // progress (2000, 3000, 4000 ms) and one at the finish (5000 ms).
    let ms = 0
    const { service, store, events } = fakeService({ clockMs: () => (ms += 1000) })
    const queued = await service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('finish', 3, 5)),
      tags: ['t1'],
    })
    expect(queued.status).toBe('queued')
    expect(queued.policyId).toBe('numa-balancing-tiering')
    expect(queued.tags).toEqual(['t1'])
    const done = await service.queue.settled(queued.id)
    expect(done.status).toBe('done')
    const statuses = events.filter((e) => e.type === 'run-status').map((e) => e.status)
    expect(statuses).toEqual(['queued', 'running', 'done'])
    // ETA = remaining simulated s × wall s per simulated s since the first report (at 2000 ms,
    // 1 s simulated): epoch 1 has no pace yet; epoch 2: (3−2) × (3000−2000 ms)/(2−1 s) → 1 s;
    // epoch 3: (3−3) × … → 0 s.
    const progress = events.filter((e) => e.type === 'run-progress')
    expect(progress.map((e) => [e.epoch, e.simulatedS, e.durationS, e.etaS])).toEqual([
      [1, 1, 3, null],
      [2, 2, 3, 1],
      [3, 3, 3, 0],
    ])
    expect(progress[0].live).toEqual({ x: 1 })
    const detail = store.runs.get(queued.id)!
    // The fake reports throughput = run id × 10; wall time = 5000 − 1000 ms.
    expect(detail.summary?.throughputOpsPerS).toBe(queued.id * 10)
    expect(detail.wallMs).toBe(4000)
    expect(store.runs.series(queued.id)).toEqual([
      { key: 'k', label: 'K', unit: 'u', t: [0.5, 1], values: [queued.id, queued.id + 0.25] },
    ])
    // The snapshot is the resolved experiment, format tags and defaults included.
    expect(detail.experiment.topology).toMatchObject({ format: 'tierlab.topology/v1' })
    expect(events.some((e) => e.type === 'changed' && e.what === 'runs')).toBe(true)
  })

  it("archives the engine's warnings with the run, and none for a run without", async () => {
    const { service, store } = fakeService()
    const warned = await service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('warn', 2, 1)),
    })
    const quiet = await service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('finish', 2, 1)),
    })
    await service.queue.settled(warned.id)
    await service.queue.settled(quiet.id)
    expect(store.runs.get(warned.id)?.warnings).toEqual([
      `the closed loop did not converge in 2 epoch(s) of run ${warned.id}`,
    ])
    expect(store.runs.get(quiet.id)?.warnings).toEqual([])
  })

  it('refuses an invalid experiment before queueing anything', async () => {
    const { service, store } = fakeService()
    const doc = experimentDoc('x')
    ;(doc.policy as { id: string }).id = 'nope'
    await expect(service.handlers['runs.start']({ experiment: doc })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^experiment: policy\.id names "nope"/),
    })
    expect(store.runs.list()).toEqual([])
  })

  it('a crashing worker fails only its run, with the error text; the others finish', async () => {
    const { service, store } = fakeService()
    const start = (name: string) =>
      service.handlers['runs.start']({ experiment: experimentDoc(name) })
    const a = await start(fakeName('finish', 5, 20))
    const b = await start(fakeName('crash'))
    const c = await start(fakeName('finish', 2, 5))
    const [ra, rb, rc] = await Promise.all([a, b, c].map((r) => service.queue.settled(r.id)))
    expect([ra.status, rb.status, rc.status]).toEqual(['done', 'failed', 'done'])
    expect(rb.error).toBe(`the simulation worker crashed: fake worker crashed on run ${b.id}`)
    expect(store.runs.get(c.id)?.summary?.throughputOpsPerS).toBe(c.id * 10)
  })

  it('cancels a running run and a queued one; cancelling a finished run is a conflict', async () => {
    const { service, events } = fakeService({ poolSize: 1 })
    const running = await service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('finish', 10_000, 5)),
    })
    const queued = await service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('finish', 1, 5)),
    })
    const cancelledQueued = await service.handlers['runs.cancel']({ id: queued.id })
    expect(cancelledQueued.status).toBe('cancelled')
    while (!events.some((e) => e.type === 'run-progress' && e.runId === running.id)) {
      await new Promise((r) => setTimeout(r, 5))
    }
    const cancelled = await service.handlers['runs.cancel']({ id: running.id })
    expect(cancelled.status).toBe('cancelled')
    await expect(service.handlers['runs.cancel']({ id: running.id })).rejects.toThrow(
      `Run ${running.id} is already cancelled; only a queued or running run can be cancelled.`,
    )
    await expect(service.handlers['runs.cancel']({ id: 999 })).rejects.toBeInstanceOf(ApiError)
  })

  it('deletes a live run (cancelling it) and edits tags and notes', async () => {
    const { service, store } = fakeService({ poolSize: 1 })
    const run = await service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('finish', 10_000, 5)),
    })
    expect(await service.handlers['runs.delete']({ ids: [run.id, 12345] })).toEqual({ deleted: 1 })
    expect(store.runs.get(run.id)).toBeNull()
    // Its worker stops at the next epoch and is free for the next run.
    while (service.queue.pool.has(run.id)) await new Promise((r) => setTimeout(r, 5))
    const other = await service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('finish', 1, 5)),
    })
    await service.queue.settled(other.id)
    expect(
      (await service.handlers['runs.setTags']({ id: other.id, tags: ['a', 'b'] })).tags,
    ).toEqual(['a', 'b'])
    expect((await service.handlers['runs.setNotes']({ id: other.id, notes: 'n' })).notes).toBe('n')
  })

  it('close terminates the workers and leaves no run queued or running', async () => {
    const { service, store, events } = fakeService({ poolSize: 1 })
    const a = await service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('finish', 10_000, 5)),
    })
    const b = await service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('finish', 1, 5)),
    })
    while (!events.some((e) => e.type === 'run-progress'))
      await new Promise((r) => setTimeout(r, 5))
    service.close()
    for (const id of [a.id, b.id]) {
      const run = store.runs.get(id)!
      // The store marks them interrupted when it can; otherwise they fail with that reason.
      expect(['interrupted', 'failed']).toContain(run.status)
      expect(run.error).toMatch(/^Interrupted: Tierlab closed before the run finished/)
    }
    expect(service.queue.pool.workerCount()).toBe(0)
    await expect(
      service.handlers['runs.start']({ experiment: experimentDoc('x') }),
    ).rejects.toMatchObject({ code: 'unavailable' })
  })

  it('a sweep queues one run per value under one batch id, and a bad value queues nothing', async () => {
    const { service, store } = fakeService()
    const doc = experimentDoc(fakeName('finish', 1, 5))
    const runs = await service.handlers['runs.sweep']({
      experiment: doc,
      knob: 'policy.params.hotThresholdMs',
      values: [100, 1000, 5000],
    })
    expect(runs.map((r) => r.name)).toEqual([
      `${fakeName('finish', 1, 5)} [policy.params.hotThresholdMs=100]`,
      `${fakeName('finish', 1, 5)} [policy.params.hotThresholdMs=1000]`,
      `${fakeName('finish', 1, 5)} [policy.params.hotThresholdMs=5000]`,
    ])
    const batch = runs[0].batch
    expect(batch).toMatch(/^sweep-[0-9a-f]{8}$/)
    expect(runs.every((r) => r.batch === batch)).toBe(true)
    const snapshots = runs.map((r) => store.runs.get(r.id)!.experiment.policy.params.hotThresholdMs)
    expect(snapshots).toEqual([100, 1000, 5000])
    await Promise.all(runs.map((r) => service.queue.settled(r.id)))

    const before = store.runs.count()
    await expect(
      service.handlers['runs.sweep']({
        experiment: doc,
        knob: 'topology.components[1].memory.capacityGiB',
        values: [64, -5],
      }),
    ).rejects.toThrow(
      /^topology\.components\[1\]\.memory\.capacityGiB=-5: topology\.components\[1\]\.memory\.capacityGiB/,
    )
    expect(store.runs.count()).toBe(before)
  })
})
