import { describe, expect, it } from 'vitest'
import {
  BUILTIN_POLICIES,
  runSimulation,
  type ResolvedExperiment,
  type SimulationResult,
} from '../../../../../main/engine'
import { checkRunnable } from '../../../../../main/engine/preflight'
import { SimulationInputError } from '../../../../../main/engine/sim/errors'
import { topologySchema } from '../../../../../shared/formats/topology'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { DRAM, experiment, singleRegion, twoSocketsPlusCxl } from '../sim/fixtures'

const series = (r: SimulationResult, key: string) => r.series.find((s) => s.key === key)!.values

/** Two sockets, `dramGiB` of DRAM each, joined by UPI (local 100 ns, remote 150 ns). */
function twoSockets(dramGiB: number) {
  return topologySchema.parse({
    format: 'tierlab.topology/v1',
    name: '2S',
    components: [
      { id: 's0', kind: 'socket', cores: 8, memory: { capacityGiB: dramGiB, ...DRAM } },
      { id: 's1', kind: 'socket', cores: 8, memory: { capacityGiB: dramGiB, ...DRAM } },
    ],
    links: [{ a: 's0', b: 's1', kind: 'upi', bandwidthGBps: 60, latencyNs: 50 }],
  })
}

/**
 * Each process's memory sits on the other socket: pa (on s0) works on ra, which pb (on s1)
 * touched first, and the other way round. First touch leaves every access remote.
 */
function wrongSocket(regionGiB: number, computeNsPerOp: number) {
  const proc = (id: string, initiator: string, region: string) => ({
    id,
    initiator,
    threads: 2,
    computeNsPerOp,
    accessesPerOp: 1,
    mlp: 1,
    writeFraction: 0,
    phases: [
      {
        durationS: 1,
        accesses: [{ region, share: 1, pattern: { kind: 'zipf' as const, s: 0.9 } }],
      },
    ],
  })
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'wrong socket',
    regions: [
      { id: 'ra', sizeGiB: regionGiB, firstTouch: 'pb' },
      { id: 'rb', sizeGiB: regionGiB, firstTouch: 'pa' },
    ],
    processes: [proc('pa', 's0', 'ra'), proc('pb', 's1', 'rb')],
  })
}

const run = (exp: ResolvedExperiment) => runSimulation(exp, BUILTIN_POLICIES)

describe('numa-balancing: CPU and memory balancing decoupled', () => {
  // 2 × 64 MiB of 4 KiB pages, 2 threads per process, 4 simulated s; the first scan at 1 s.
  const wrong = (policy: string, params: Record<string, unknown> = {}) =>
    run(
      experiment(twoSockets(0.25), wrongSocket(1 / 16, 300), policy, params, {
        pageBytes: 4096,
        durationS: 4,
      }),
    )
  const ft = wrong('first-touch')
  const memOnly = wrong('numa-balancing', { taskPlacement: false })
  const taskOnly = wrong('numa-balancing', { memoryMigration: false })
  const both = wrong('numa-balancing')

  it('first touch leaves every access remote', () => {
    expect(ft.summary.localAccessRatio).toBe(0)
    expect(ft.summary.threadMigrations).toBe(0)
  })

  it('memory-only balancing migrates pages and moves no thread', () => {
    const s = memOnly.summary
    expect(s.threadMigrations).toBe(0)
    expect(s.threadMoves).toBe(0)
    // Every page of both regions (2 × 16384) follows its process; none is a promotion (DRAM to DRAM).
    expect(s.migratedBytes).toBe(2 * 16384 * 4096)
    expect(s.promotions).toBe(0)
    expect(s.localAccessRatio).toBeGreaterThan(ft.summary.localAccessRatio + 0.6)
  })

  it('task-only balancing moves threads and migrates no page', () => {
    const s = taskOnly.summary
    expect(s.migratedBytes).toBe(0)
    // All four threads end on their memory's socket: one move each, or a swap of two (one
    // thread of each process changes place in a swap, so migrations count 2 per swap).
    expect(s.threadMigrations).toBe(4)
    expect(s.localAccessRatio).toBeGreaterThan(ft.summary.localAccessRatio + 0.5)
    // The preferred node was set once per process (it is the memory's socket from the start).
    const changes = series(taskOnly, 'policy.preferredNodeChanges')
    const epochS = 0.01
    expect(changes.reduce((a, b) => a + b * epochS, 0)).toBeCloseTo(2, 6)
    expect(series(taskOnly, 'policy.preferredFaultShare').at(-1)).toBeGreaterThan(0.95)
  })

  it('both raise the local access ratio well above first touch', () => {
    expect(both.summary.localAccessRatio).toBeGreaterThan(ft.summary.localAccessRatio + 0.6)
    // Once threads or pages moved, the last second is nearly all local.
    expect(series(both, 'localAccessRatio').at(-1)).toBeGreaterThan(0.95)
    expect(series(taskOnly, 'localAccessRatio').at(-1)).toBeGreaterThan(0.95)
  })
})

describe('numa-balancing across tiers', () => {
  // One process on s0 first-touches 384 MiB: s0's DRAM (128 MiB), then s1's, then CXL. A hot
  // fifth takes 99 % of accesses, spread over all three nodes.
  const tiers = (params: Record<string, unknown>) =>
    run(
      experiment(
        twoSocketsPlusCxl(1 / 8, 1 / 2),
        singleRegion(
          0.375,
          { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.99 },
          { threads: 2, computeNsPerOp: 300 },
        ),
        'numa-balancing',
        { taskPlacement: false, ...params },
        { pageBytes: 4096, durationS: 4 },
      ),
    )
  let fixedRun: SimulationResult | null = null
  const fixedMode1 = () => (fixedRun ??= tiers({ mode: 'normal' }))
  const dramToDram = (r: SimulationResult) =>
    r.summary.migratedBytes - r.summary.promotedBytes - r.summary.demotedBytes

  it('mode 1 alone does not promote from CXL, unless the legacy option is on', () => {
    const fixed = fixedMode1()
    // It still moves s1's pages to s0 (kswapd demotes to make room, demotion_enabled).
    expect(dramToDram(fixed)).toBeGreaterThan(0)
    expect(fixed.summary.promotions).toBe(0)
    const legacy = tiers({ mode: 'normal', legacyCrossTierPromotion: true })
    expect(legacy.summary.promotions).toBeGreaterThan(1000)
    expect(legacy.summary.topTierHitRatio).toBeGreaterThan(fixed.summary.topTierHitRatio)
  })

  it('mode 3 promotes hot CXL pages and balances between the sockets', () => {
    const fixed = fixedMode1()
    const three = tiers({ mode: 'normal+tiering' })
    expect(three.summary.promotions).toBeGreaterThan(1000)
    expect(dramToDram(three)).toBeGreaterThan(1000)
    expect(three.summary.topTierHitRatio).toBeGreaterThan(fixed.summary.topTierHitRatio + 0.1)
    expect(series(three, 'policy.hotThresholdMs').at(-1)).toBeGreaterThan(0)
  })

  it('mode 2 decides as numa-balancing-tiering does, fault for fault', () => {
    const exp = (policy: string, params: Record<string, unknown>) =>
      experiment(
        twoSocketsPlusCxl(1 / 8, 1 / 2),
        singleRegion(0.375, { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.99 }),
        policy,
        params,
        { pageBytes: 4096, durationS: 3 },
      )
    const two = run(exp('numa-balancing', { mode: 'tiering' })).summary
    const nbt = run(exp('numa-balancing-tiering', {})).summary
    expect(two.promotions).toBeGreaterThan(0)
    expect(two).toEqual(nbt)
  })
})

describe('numa-balancing: fast and exact mode agree', () => {
  // Slow processes (4 µs per operation) on 2 × 16 MiB keep exact mode's draws small.
  const TOL_THROUGHPUT = 0.03
  const TOL_RATIO = 0.05
  const TOL_MIGRATED = 0.3
  for (const params of [{ taskPlacement: false }, { memoryMigration: false }, {}])
    it(JSON.stringify(params), () => {
      const base = experiment(
        twoSockets(1 / 16),
        wrongSocket(1 / 64, 4000),
        'numa-balancing',
        { ...params, scanDelayMs: 200 },
        { pageBytes: 4096, durationS: 2 },
      )
      const fast = run({ ...base, mode: 'fast' }).summary
      const exact = run({ ...base, mode: 'exact' }).summary
      const cpuShare = Math.abs(exact.policyCpuS - fast.policyCpuS) / (2 * 4)
      expect(Math.abs(exact.throughputOpsPerS / fast.throughputOpsPerS - 1)).toBeLessThan(
        TOL_THROUGHPUT + cpuShare,
      )
      expect(Math.abs(exact.localAccessRatio - fast.localAccessRatio)).toBeLessThan(TOL_RATIO)
      const big = Math.max(exact.migratedBytes, fast.migratedBytes)
      expect(Math.abs(exact.migratedBytes - fast.migratedBytes)).toBeLessThanOrEqual(
        TOL_MIGRATED * big,
      )
      expect(exact.threadMigrations).toBe(fast.threadMigrations)
      expect(fast.localAccessRatio).toBeGreaterThan(0.3)
    })
})

describe('numa-balancing refuses knobs that cannot run, before anything runs', () => {
  const exp = (params: Record<string, unknown>) =>
    experiment(twoSockets(0.25), wrongSocket(1 / 64, 300), 'numa-balancing', params)
  const refusal = (params: Record<string, unknown>): string => {
    try {
      checkRunnable(exp(params))
    } catch (e) {
      expect(e).toBeInstanceOf(SimulationInputError)
      return (e as Error).message
    }
    throw new Error('accepted')
  }

  it('an unknown mode names the knob and the modes', () => {
    const msg = refusal({ mode: 'balanced' })
    expect(msg).toContain('knob "mode"')
    expect(msg).toMatch(/"normal".*"tiering".*"normal\+tiering"/)
  })

  it('a numeric mode is refused with the names to use', () => {
    expect(refusal({ mode: 3 })).toContain('"normal+tiering" (3)')
  })

  it('neither task placement nor memory migration: nothing to do', () => {
    const msg = refusal({ taskPlacement: false, memoryMigration: false })
    expect(msg).toContain('knob "memoryMigration"')
    expect(msg).toContain('taskPlacement')
    expect(msg).toContain('set taskPlacement or memoryMigration to true')
    // The run refuses the same way (run.ts checks again).
    expect(() => run(exp({ taskPlacement: false, memoryMigration: false }))).toThrow(
      SimulationInputError,
    )
  })

  it('tiering-only mode without memory migration has nothing to do either', () => {
    const msg = refusal({ mode: 'tiering', memoryMigration: false })
    expect(msg).toContain('knob "memoryMigration"')
    expect(msg).toContain('mode "tiering"')
  })

  it('the defaults run', () => {
    expect(() => checkRunnable(exp({}))).not.toThrow()
  })
})
