import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  definePolicy,
  runSimulation,
  type EngineOptions,
  type MigrationMode,
  type MigrationOutcome,
  type PolicyContext,
  type SimulationResult,
} from '../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from './fixtures'

/**
 * Migration as a mechanism with a price and a queue: synchronous moves happen at once and slow the
 * faulting process; asynchronous ones wait on the target node's kernel thread, which drains them
 * within its CPU budget, so they are delayed, show as queue depth and delay, and may be dropped.
 */

// 4 KiB frames: 1/16 GiB of DRAM (16 Ki frames) and a 1/8 GiB region (32 Ki frames), all placed
// on CXL (node 1) by the test policy, so DRAM starts empty.
const base = experiment(
  socketPlusCxl(1 / 16, 1 / 4),
  singleRegion(1 / 8, { kind: 'uniform' }, { threads: 2 }),
  'x',
  {},
  { durationS: 0.5, pageBytes: 4096 },
)

/** At epoch `atEpoch` moves `count` CXL frames to DRAM in `mode`; records the outcomes. */
function mover(mode: MigrationMode, count: number, atEpoch = 0, target = 0) {
  const outcomes: MigrationOutcome[] = []
  const queued: number[] = []
  const def = definePolicy({
    id: `mover-${mode}`,
    name: 'mover',
    description: 'tests only',
    knobs: z.strictObject({}),
    subscriptions: () => ({}),
    reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
    create: (_k, ctx) => ({
      place: () => 1,
      onEpoch: (c: PolicyContext) => {
        queued.push(c.queuedToNode(target))
        if (c.epoch !== atEpoch) return
        let moved = 0
        for (let f = 0; f < c.totalFrames && moved < count; f++) {
          if (c.frameNode(f) === target) continue
          outcomes.push(c.migrate(f, target, mode, mode === 'sync' ? 0 : undefined))
          moved++
        }
        void ctx
      },
    }),
  })
  return { def, outcomes, queued }
}

function run(
  mode: MigrationMode,
  count: number,
  options?: EngineOptions,
  over: Partial<typeof base> = {},
) {
  const m = mover(mode, count)
  const r = runSimulation(
    { ...base, ...over, policy: { id: m.def.id, params: {} } },
    m.def,
    {},
    options,
  )
  return { ...m, r }
}

const series = (r: SimulationResult, key: string): number[] => {
  const s = r.series.find((x) => x.key === key)
  if (!s) throw new Error(`no series ${key}`)
  return s.values
}

describe('asynchronous migration', () => {
  it('is queued, drained by the kernel thread within its CPU budget, and shows queue depth and delay', () => {
    // 2000 frames at the batched 4 KiB cost (~1.1 µs each) need ~2.2 ms of CPU; a kernel thread
    // allowed 2 % of a core gets 0.2 ms per 10 ms epoch, so the queue takes ~11 epochs to drain.
    const { outcomes, queued, r } = run('async', 2000, { migration: { kernelThreadCores: 0.02 } })
    expect(outcomes.every((o) => o === 'queued')).toBe(true)
    const depth = series(r, 'migrationQueueDepthFrames')
    expect(depth[0]).toBeGreaterThan(1500)
    expect(depth[0]).toBeLessThan(2000)
    // Drains a budget's worth per epoch until empty.
    for (let e = 1; e < depth.length; e++) expect(depth[e]).toBeLessThanOrEqual(depth[e - 1])
    const emptyAt = depth.findIndex((d) => d === 0)
    expect(emptyAt).toBeGreaterThan(8)
    expect(emptyAt).toBeLessThan(14)
    // What the policy sees of the queue, at the start of the next epoch, matches.
    expect(queued[1]).toBe(depth[0])
    expect(r.summary.promotions).toBe(2000)
    expect(r.summary.queuedMigrations).toBe(2000)
    // The last frames waited ~11 epochs, the first almost nothing: the mean is about half.
    expect(r.summary.meanQueueDelayMs).toBeGreaterThan(30)
    expect(r.summary.meanQueueDelayMs).toBeLessThan(80)
    const delay = series(r, 'migrationQueueDelayMs')
    expect(delay[5]).toBeGreaterThan(delay[0])
    // The kernel thread's CPU shows on its socket's node, at its budget while it works.
    const kcpu = series(r, 'node.0.kernelThreadCpu')
    expect(kcpu[2]).toBeCloseTo(0.02, 3)
    expect(kcpu[emptyAt + 2]).toBe(0)
  })

  it('queues a frame once while it waits', () => {
    const twice = mover('async', 500)
    const once = mover('async', 500)
    // The same 500 frames asked for twice in one epoch: still 500 queued, 500 moved.
    const def = {
      ...twice.def,
      create: (k: never, ctx: PolicyContext, t: null) => {
        const a = twice.def.create(k, ctx, t)
        const b = once.def.create(k, ctx, t)
        return { place: a.place, onEpoch: (c: PolicyContext) => (a.onEpoch?.(c), b.onEpoch?.(c)) }
      },
    }
    const r = runSimulation(
      { ...base, policy: { id: def.id, params: {} } },
      def,
      {},
      {
        migration: { kernelThreadCores: 0.01 },
      },
    )
    expect(twice.outcomes.concat(once.outcomes).every((o) => o === 'queued')).toBe(true)
    expect(r.summary.queuedMigrations).toBe(500)
    expect(r.summary.promotions).toBe(500)
    expect(r.summary.droppedMigrations).toBe(0)
  })

  it('with the default budget moves everything in the same epoch', () => {
    const { r } = run('async', 2000)
    expect(series(r, 'migrationQueueDepthFrames')[0]).toBe(0)
    expect(r.summary.promotions).toBe(2000)
    expect(r.summary.meanQueueDelayMs).toBeLessThan(10)
  })

  it('drops queued frames when the target filled meanwhile', () => {
    // 20000 frames for a DRAM of 16384 frames less its high watermark.
    const { r } = run('async', 20000, { migration: { kernelThreadCores: 0.2 } })
    expect(r.summary.droppedMigrations).toBeGreaterThan(3000)
    expect(r.summary.failedMigrations).toBe(r.summary.droppedMigrations)
    expect(r.summary.promotions + r.summary.droppedMigrations).toBe(20000)
    expect(series(r, 'migrationQueueDepthFrames').at(-1)).toBe(0)
  })

  it('drops frames that went cold while they waited', () => {
    // A tenth of the region is hot, the rest never touched (hotProbability 1). The mover queues
    // 6000 frames; a 0.5 %-core kernel thread keeps most waiting past coldAfterMs (20 ms), and a
    // frame that waited that long moves only if its accessed bit is set: the cold ones are dropped.
    const hotset = experiment(
      socketPlusCxl(1 / 16, 1 / 4),
      singleRegion(1 / 8, { kind: 'hotset', hotFraction: 0.1, hotProbability: 1 }, { threads: 2 }),
      'x',
      {},
      { durationS: 0.5, pageBytes: 4096 },
    )
    const m = mover('async', 6000)
    const r = runSimulation(
      { ...hotset, policy: { id: m.def.id, params: {} } },
      m.def,
      {},
      { migration: { kernelThreadCores: 0.005, coldAfterMs: 20 } },
    )
    expect(r.summary.droppedMigrations).toBeGreaterThan(1000)
    expect(r.summary.failedMigrations).toBe(0)
    // Hot frames among the late ones still move.
    expect(r.summary.promotions).toBeGreaterThan(100)
    // Each check before a drop is an accessed-bit check, charged like any other.
    expect(r.summary.accessedBitChecks).toBeGreaterThanOrEqual(r.summary.droppedMigrations)
    expect(r.summary.promotions + r.summary.droppedMigrations).toBeLessThanOrEqual(6000)
  })

  it('waits for copy bandwidth the workload leaves', () => {
    // A CXL memory of 0.5 GB/s read bandwidth: 5 MB per 10 ms epoch. 1000 frames (4 MB) fit in one
    // epoch when the workload is idle; when it reads CXL near saturation they must wait.
    const topo = socketPlusCxl(1 / 16, 1 / 4)
    const cxl = topo.components[1] as { memory: { readBandwidthGBps: number } }
    cxl.memory.readBandwidthGBps = 0.5
    const at = (computeNsPerOp: number) =>
      experiment(
        topo,
        singleRegion(1 / 8, { kind: 'uniform' }, { threads: 2, computeNsPerOp }),
        'x',
        {},
        { durationS: 0.5, pageBytes: 4096 },
      )
    const idle = run('async', 1000, {}, at(1e6))
    const busy = run('async', 1000, {}, at(0))
    expect(series(idle.r, 'migrationQueueDepthFrames')[0]).toBe(0)
    expect(series(busy.r, 'migrationQueueDepthFrames')[0]).toBeGreaterThan(500)
    expect(busy.r.summary.meanQueueDelayMs).toBeGreaterThan(idle.r.summary.meanQueueDelayMs + 5)
  })
})

describe('who pays', () => {
  it('sync charges the faulting process and moves now; async charges a kernel thread', () => {
    const sync = run('sync', 2000)
    const asy = run('async', 2000)
    expect(sync.outcomes.every((o) => o === 'migrated')).toBe(true)
    expect(sync.r.summary.promotions).toBe(2000)
    // 2000 single 4 KiB migrations at ~38 µs take ~77 ms of the process's 2 threads × 10 ms: its
    // first epochs lose throughput; the async run's process loses none.
    const ops = (r: SimulationResult) => series(r, 'process.p0.throughputOpsPerS')
    expect(ops(sync.r)[1]).toBeLessThan(ops(asy.r)[1] * 0.2)
    expect(series(sync.r, 'node.0.kernelThreadCpu')[0]).toBe(0)
    expect(series(asy.r, 'node.0.kernelThreadCpu')[0]).toBeGreaterThan(0)
    // Single migrations cost ~35× batched ones (tiering-facts §7): policy CPU shows it.
    expect(sync.r.summary.policyCpuS / asy.r.summary.policyCpuS).toBeGreaterThan(20)
  })

  it('the migration price is a knob', () => {
    const cheap = run('sync', 2000, {
      migrationCostNs: { single4KiBNs: 1000, batched4KiBNs: 1000 },
    })
    expect(cheap.r.summary.policyCpuS).toBeCloseTo(2000 * 1e-6, 9)
    expect(cheap.r.summary.migrationCpuS).toBe(cheap.r.summary.policyCpuS)
  })
})
