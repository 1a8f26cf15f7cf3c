import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  definePolicy,
  runSimulation,
  type HintFault,
  type PolicyContext,
  type SimulationResult,
  type Subscriptions,
} from '../../../../../main/engine'
import { experiment, sharedRegion, singleRegion, twoSocketsPlusCxl } from './fixtures'

/**
 * Thread-level placement: threads of one process may sit on different sockets; a policy moves a
 * thread or swaps two (task_numa_migrate [FAIR]); localAccessRatio is the share of CPU accesses
 * served by the accessing thread's own socket node.
 */
function policy(
  onEpoch: (ctx: PolicyContext) => void,
  subs: Subscriptions = {},
  faults?: HintFault[],
) {
  return definePolicy({
    id: 'thread-mover',
    name: 'thread mover',
    description: 'tests only',
    knobs: z.strictObject({}),
    subscriptions: () => subs,
    reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
    create: (_k, ctx) => ({
      onEpoch: () => onEpoch(ctx),
      onHintFault: (f) => faults?.push({ ...f }),
    }),
  })
}

const seriesOf = (r: SimulationResult, key: string) =>
  r.series.find((s) => s.key === key)?.values ?? []

describe('thread placement', () => {
  // 1/32 GiB region on s0's DRAM (node 0): every access is local until a thread moves.
  const exp = experiment(
    twoSocketsPlusCxl(1 / 16, 1 / 4),
    singleRegion(1 / 32, { kind: 'uniform' }, { threads: 2 }),
    'x',
    {},
    { durationS: 1 },
  )

  it('moving one thread of two to the other socket halves the local access ratio', () => {
    const seen: string[][] = []
    const def = policy((ctx) => {
      seen.push([ctx.threadSocket(0, 0), ctx.threadSocket(0, 1)])
      if (ctx.epoch === 49) ctx.moveThread(0, 1, 's1')
    })
    const r = runSimulation({ ...exp, policy: { id: def.id, params: {} } }, def)
    expect(seen[49]).toEqual(['s0', 's0'])
    expect(seen[50]).toEqual(['s0', 's1'])
    expect(r.summary.threadMigrations).toBe(1)
    expect(r.summary.threadMoves).toBe(1)
    const local = seriesOf(r, 'localAccessRatio')
    expect(local[10]).toBeCloseTo(1, 12)
    expect(local[80]).toBeCloseTo(0.5, 12)
    // Half the accesses cross UPI (50 ns more): the mean latency rises by about 25 ns.
    const lat = seriesOf(r, 'process.p0.meanLatencyNs')
    expect(lat[80] - lat[10]).toBeGreaterThan(20)
    expect(lat[80] - lat[10]).toBeLessThan(30)
    // Summary: 50 epochs at 1, 50 at 0.5, weighted by accesses (the slower half runs fewer).
    expect(r.summary.localAccessRatio).toBeGreaterThan(0.7)
    expect(r.summary.localAccessRatio).toBeLessThan(0.76)
    expect(seriesOf(r, 'threadMigrationsPerS')[49]).toBeCloseTo(100, 9)
  })

  it('swaps two threads of different processes, as task_numa_migrate does', () => {
    const shared = experiment(
      twoSocketsPlusCxl(1 / 16, 1 / 4),
      sharedRegion(1 / 32, { kind: 'uniform' }),
      'x',
      {},
      { durationS: 1 },
    )
    const def = policy((ctx) => {
      if (ctx.epoch === 49) ctx.swapThreads(0, 0, 1, 0)
      if (ctx.epoch === 50) expect(ctx.processes.map((p) => p.initiator)).toEqual(['s1', 's0'])
    })
    const r = runSimulation({ ...shared, policy: { id: def.id, params: {} } }, def)
    expect(r.summary.threadMigrations).toBe(2)
    // Memory on node 0: before, p0 (s0) is local and p1 (s1) remote; after, the reverse.
    const p0 = seriesOf(r, 'process.p0.meanLatencyNs')
    const p1 = seriesOf(r, 'process.p1.meanLatencyNs')
    expect(p0[10]).toBeLessThan(p1[10])
    expect(p0[80]).toBeGreaterThan(p1[80])
  })

  it('rejects a thread that does not exist or a target that is not a socket, naming it', () => {
    const bad = (op: (ctx: PolicyContext) => void) => {
      const def = policy((ctx) => {
        if (ctx.epoch === 0) op(ctx)
      })
      return () => runSimulation({ ...exp, policy: { id: def.id, params: {} } }, def)
    }
    expect(bad((c) => c.moveThread(0, 2, 's1'))).toThrow(/threads 0\.\.1, not 2/)
    expect(bad((c) => c.moveThread(0, 0, 'c0'))).toThrow(/"c0" is not a socket/)
  })

  it('hint faults come from the faulting thread’s socket', () => {
    // Memory on CXL (scanned in tiering mode), threads split over both sockets.
    const onCxl = experiment(
      twoSocketsPlusCxl(1 / 64, 1 / 4),
      singleRegion(1 / 16, { kind: 'uniform' }, { threads: 4 }),
      'x',
      {},
      { durationS: 2 },
    )
    const faults: HintFault[] = []
    const scan = {
      mode: 'tiering' as const,
      scanDelayMs: 0,
      scanPeriodMinMs: 100,
      scanPeriodMaxMs: 100,
      scanSizeMB: 256,
    }
    const def = policy(
      (ctx) => {
        if (ctx.epoch === 0) ctx.moveThread(0, 3, 's1')
      },
      { hintFaults: scan },
      faults,
    )
    runSimulation({ ...onCxl, policy: { id: def.id, params: {} } }, def)
    expect(faults.length).toBeGreaterThan(100)
    for (const f of faults) expect(f.cpuNode).toBe(f.thread === 3 ? 1 : 0)
    const fromS1 = faults.filter((f) => f.thread === 3).length / faults.length
    expect(fromS1).toBeGreaterThan(0.15)
    expect(fromS1).toBeLessThan(0.35)
    // Tiering mode: a slow-tier folio's cpupid holds its scan time, so no last CPU and private.
    for (const f of faults)
      expect([f.lastCpuNode, f.lastProcess, f.private]).toEqual([-1, -1, true])
  })

  it('normal-mode hint faults carry the last fault’s socket and process (cpupid)', () => {
    const shared = experiment(
      twoSocketsPlusCxl(1 / 16, 1 / 4),
      sharedRegion(1 / 64, { kind: 'uniform' }),
      'x',
      {},
      { durationS: 2 },
    )
    const faults: HintFault[] = []
    const scan = {
      mode: 'normal' as const,
      scanDelayMs: 0,
      scanPeriodMinMs: 50,
      scanPeriodMaxMs: 50,
      scanSizeMB: 256,
    }
    const def = policy(() => {}, { hintFaults: scan }, faults)
    runSimulation({ ...shared, policy: { id: def.id, params: {} } }, def)
    const byFrame = new Map<number, HintFault[]>()
    for (const f of faults) byFrame.set(f.frame, [...(byFrame.get(f.frame) ?? []), f])
    let checked = 0
    for (const list of byFrame.values()) {
      expect(list[0].lastProcess).toBe(-1)
      for (let i = 1; i < list.length; i++) {
        expect(list[i].lastProcess).toBe(list[i - 1].process)
        expect(list[i].lastCpuNode).toBe(list[i - 1].cpuNode)
        expect(list[i].private).toBe(list[i].process === list[i - 1].process)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(100)
    expect(faults.some((f) => !f.private)).toBe(true)
    expect(faults.some((f) => f.private && f.lastProcess >= 0)).toBe(true)
  })
})
