import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation, type SimulationResult } from '../../../../../main/engine'
import {
  feedLoopNextInput,
  goalScore,
  hotScore,
  SchemeQuota,
} from '../../../../../main/engine/policies/damon-tiering/quota'
import { workloadSchema, type WorkloadInput } from '../../../../../shared/formats/workload'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'
import { expectModesAgree } from './agreement'

const MiB = 2 ** 20
const series = (r: SimulationResult, key: string) => r.series.find((s) => s.key === key)!.values
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
const tail = (v: number[], share: number) => v.slice(Math.floor(v.length * (1 - share)))

/** The largest deviation from `goal` (signed) between successive crossings of it. */
function swingsAround(v: number[], goal: number): number[] {
  const swings: number[] = []
  let extreme = 0
  for (let i = 0; i < v.length; i++) {
    const d = v[i] - goal
    if (i > 0 && Math.sign(d) !== Math.sign(extreme) && extreme !== 0) {
      swings.push(extreme)
      extreme = 0
    }
    if (Math.abs(d) > Math.abs(extreme)) extreme = d
  }
  if (extreme !== 0) swings.push(extreme)
  return swings
}

/**
 * `first` is allocated first and fills DRAM; `second` lands on CXL and takes `secondShare` of
 * the accesses with `pattern`; the rest go uniformly to `first`.
 */
function coldThenWarm(
  firstGiB: number,
  secondGiB: number,
  secondShare: number,
  pattern: WorkloadInput['processes'][number]['phases'][number]['accesses'][number]['pattern'],
) {
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'cold start on CXL',
    regions: [
      { id: 'first', sizeGiB: firstGiB, firstTouch: 'p0' },
      { id: 'second', sizeGiB: secondGiB, firstTouch: 'p0' },
    ],
    processes: [
      {
        id: 'p0',
        initiator: 's0',
        threads: 1,
        computeNsPerOp: 300,
        accessesPerOp: 1,
        mlp: 1,
        writeFraction: 0,
        phases: [
          {
            durationS: 1,
            accesses: [
              { region: 'first', share: 1 - secondShare, pattern: { kind: 'uniform' } },
              { region: 'second', share: secondShare, pattern },
            ],
          },
        ],
      },
    ],
  } satisfies WorkloadInput)
}

describe('damon-tiering: quotas and tuners', () => {
  it('the consist feedback loop grows by the shortfall, shrinks by the excess, floors at 10000', () => {
    // next = last · (1 + (10000 − score)/10000) [DAMON-C]
    expect(feedLoopNextInput(10000, 0)).toBe(20000)
    expect(feedLoopNextInput(40000, 5000)).toBe(60000)
    expect(feedLoopNextInput(40000, 10000)).toBe(40000)
    expect(feedLoopNextInput(40000, 15000)).toBe(20000)
    expect(feedLoopNextInput(40000, 20000)).toBe(10000)
    expect(feedLoopNextInput(12000, 19000)).toBe(10000)
    expect(goalScore(4985, 9970)).toBe(5000)
    expect(goalScore(0, 0)).toBe(10000)
  })

  it('consist starts at 2 bytes and doubles while the goal is far, idle below one page; temporal is all or nothing', () => {
    const c = new SchemeQuota(64e6, 'consist', true)
    c.startInterval(0)
    // esz_bp 10000 → 20000: 2 B, less than a page, so nothing moves yet (damos_apply_scheme
    // aligns the quota left down to DAMON_MIN_REGION) [DAMON-C]; no floor (the cold-start RFC
    // was withdrawn).
    expect(c.esz).toBe(2)
    for (let i = 1; i < 11; i++) c.startInterval(0)
    expect(c.esz).toBe(2048)
    c.startInterval(0)
    expect(c.esz).toBe(4096) // the 12th interval: one page, "ten-some ticks"
    for (let i = 0; i < 40; i++) c.startInterval(0)
    expect(c.esz).toBe(64e6) // capped by the size quota
    const t = new SchemeQuota(64e6, 'temporal', true)
    t.startInterval(9999)
    expect(t.esz).toBe(64e6)
    t.startInterval(10000)
    expect(t.esz).toBe(0)
    expect(t.left()).toBe(0) // esz 0 stops the scheme [DAMON-ESZ0]
    const none = new SchemeQuota(1e6, 'consist', false)
    none.startInterval(12345)
    expect(none.esz).toBe(1e6)
  })

  it('ranks regions by DAMON hotness: frequency first, then age (older is hotter if accessed)', () => {
    const w = { nrAccesses: 100, age: 100 }
    expect(hotScore(20, 20, 0, 0.1, w)).toBeGreaterThan(hotScore(10, 20, 0, 0.1, w))
    expect(hotScore(10, 20, 100, 0.1, w)).toBeGreaterThan(hotScore(10, 20, 0, 0.1, w))
    // Never accessed: the older, the colder.
    expect(hotScore(0, 20, 100, 0.1, w)).toBeLessThan(hotScore(0, 20, 0, 0.1, w))
    expect(hotScore(20, 20, 1e9, 0.1, w)).toBeLessThanOrEqual(99)
  })
})

describe('damon-tiering', () => {
  // 128 MiB DRAM + 512 MiB CXL; a 128 MiB region nobody touches much fills DRAM, the 64 MiB
  // region holding a 32 MiB hot set starts on CXL.
  const topo = socketPlusCxl(1 / 8, 1 / 2)
  const hotset = { kind: 'hotset', hotFraction: 0.5, hotProbability: 0.999 } as const
  const wl = coldThenWarm(1 / 8, 1 / 16, 0.998, hotset)
  const run = (policy: string, params: Record<string, unknown> = {}, durationS = 10) =>
    runSimulation(
      experiment(topo, wl, policy, params, { pageBytes: 4096, durationS }),
      BUILTIN_POLICIES,
    )
  // On a 128 MiB node the low watermark is 0.61 % of it, above mtier's 0.5 % free goal (at
  // full size it is ~0.1 %): the demotion goal is raised to 5 % so the goal can be reached below
  // the watermarks. The temporal tuner acts at full quota at once, where consist would start at
  // one page and double per reset interval (~14 s to reach 64 MB/s).
  const cold = { quotaMBps: 64, demoteGoalBp: 500, goalTuner: 'temporal' }
  const ft = run('first-touch')
  const damon = run('damon-tiering', cold)

  /** Promoted bytes never run ahead of the quota: by the end of each epoch at most one size
   * quota per reset interval begun so far. */
  const expectWithinQuota = (r: SimulationResult, quotaMBps: number, resetS = 1) => {
    const perS = series(r, 'promotedBytesPerS')
    const epochS = 0.01
    expect(perS).toHaveLength(Math.round(10 / epochS))
    let cumulative = 0
    let worst = 0
    perS.forEach((v, e) => {
      cumulative += v * epochS
      const intervals = Math.floor((e * epochS) / resetS + 1e-9) + 1
      worst = Math.max(worst, cumulative / (intervals * quotaMBps * 1e6 * resetS))
    })
    expect(cumulative).toBeCloseTo(r.summary.promotedBytes, -3)
    expect(worst).toBeLessThanOrEqual(1 + 1e-9)
    return { cumulative, worst }
  }

  it('beats first-touch on a cold start on CXL (quota 64 MB/s) and never promotes past its quota', () => {
    expect(ft.summary.topTierHitRatio).toBeLessThan(0.01)
    expect(damon.summary.promotedBytes).toBeGreaterThan(16 * MiB)
    expect(damon.summary.topTierHitRatio).toBeGreaterThan(ft.summary.topTierHitRatio + 0.5)
    expect(damon.summary.throughputOpsPerS).toBeGreaterThan(ft.summary.throughputOpsPerS * 1.1)
    expect(mean(tail(series(damon, 'topTierHitRatio'), 0.3))).toBeGreaterThan(0.8)
    expectWithinQuota(damon, 64)
    // A quota that binds: 2 MB/s moves 20 MB in 10 s at most, and the hot set (32 MiB) wants more.
    const slow = run('damon-tiering', { ...cold, quotaMBps: 2 })
    const { cumulative, worst } = expectWithinQuota(slow, 2)
    expect(cumulative).toBeGreaterThan(0.5 * 20e6)
    expect(worst).toBeGreaterThan(0.5)
  })

  it('publishes its regions, their access counts and the effective quotas', () => {
    const regions = series(damon, 'policy.regions')
    // Starts at min_nr_regions spread over the two mappings, then splits and merges adaptively.
    expect(regions[0]).toBeGreaterThanOrEqual(10)
    expect(Math.max(...regions)).toBeGreaterThan(40)
    expect(Math.max(...regions)).toBeLessThanOrEqual(1000)
    // 100 ms aggregation of one sample per 10 ms epoch: nr_accesses counts 0..10.
    expect(series(damon, 'policy.maxNrAccesses')[0]).toBe(10)
    const nr = tail(series(damon, 'policy.meanNrAccesses'), 0.5)
    expect(mean(nr)).toBeGreaterThan(0.2)
    expect(Math.max(...nr)).toBeLessThanOrEqual(10)
    // Temporal: the promotion quota is 64 MB/s while DRAM is below its used goal.
    expect(Math.max(...series(damon, 'policy.promoteQuotaMBps'))).toBeCloseTo(64, 6)
    // kdamond's sampling and bookkeeping are charged to a kernel thread on the socket.
    expect(mean(series(damon, 'node.0.kernelThreadCpu'))).toBeGreaterThan(0)
    expect(mean(series(ft, 'node.0.kernelThreadCpu'))).toBe(0)
  })

  it('with a node_mem_used_bp goal the fast tier converges to the goal (both tuners)', () => {
    // 64 MiB DRAM holds a 16 MiB region nobody touches and a 48 MiB region touched rarely
    // (0.2 % of accesses); a 64 MiB region taking the rest starts on CXL. migrate_hot (goal: DRAM
    // used = G) brings warm pages up, migrate_cold (goal: DRAM free = 10000 − G) takes cold ones
    // down, so both push DRAM's use towards G. Short quota windows (100 ms) let the tuners act
    // within the run.
    const wl3 = workloadSchema.parse({
      ...coldThenWarm(1 / 16, 1 / 16, 0.998, { kind: 'uniform' }),
      regions: [
        { id: 'idle', sizeGiB: 1 / 64, firstTouch: 'p0' },
        { id: 'first', sizeGiB: 3 / 64, firstTouch: 'p0' },
        { id: 'second', sizeGiB: 1 / 16, firstTouch: 'p0' },
      ],
    })
    const usedBp = (goalTuner: string, goalBp: number, durationS: number) => {
      const r = runSimulation(
        experiment(
          socketPlusCxl(1 / 16, 1 / 2),
          wl3,
          'damon-tiering',
          {
            quotaMBps: 8,
            quotaResetIntervalMs: 100,
            applyIntervalMs: 100,
            promoteGoalBp: goalBp,
            demoteGoalBp: 10000 - goalBp,
            goalTuner,
          },
          { pageBytes: 4096, durationS },
        ),
        BUILTIN_POLICIES,
      )
      return series(r, 'node.0.usedBytes').map((u) => (u / (64 * MiB)) * 10000)
    }
    // Temporal: full quota until the goal is met, then none: it settles within one quota window
    // (0.8 MB = 125 bp of DRAM) of the goal and stays.
    const temporal = usedBp('temporal', 5000, 20)
    expect(temporal[0]).toBeGreaterThan(9500)
    for (const u of tail(temporal, 0.3)) expect(Math.abs(u - 5000)).toBeLessThan(300)
    // Consist is the kernel's feedback loop unchanged (damon_feed_loop_next_input, [DAMON-C]): its
    // input is not capped by the size quota, so it winds up while the goal is far and overshoots;
    // once past the goal it shrinks only by the excess's share per interval, and a scheme reset to
    // the floor (score ≥ 2× goal) needs tens of intervals to ramp back past one page. Against the
    // opposite scheme DRAM's use therefore swings around the goal, each swing smaller than the one
    // before: here (0.8 MB = 125 bp of DRAM per 100 ms window) about ±1000 bp at first, within
    // ±700 bp after 50 s and ±450 bp at the end, with the mean on the goal.
    const goal = 8500
    const consist = usedBp('consist', goal, 80)
    expect(consist[0]).toBeGreaterThan(9500)
    const swings = swingsAround(consist, goal)
    expect(swings.length).toBeGreaterThan(6)
    expect(Math.abs(swings[1])).toBeLessThan(1200)
    for (let i = 2; i < swings.length; i++)
      expect(Math.abs(swings[i])).toBeLessThan(Math.abs(swings[i - 1]))
    const t = (s: number) => Math.floor((s / 80) * consist.length)
    for (const u of consist.slice(t(50))) expect(Math.abs(u - goal)).toBeLessThan(700)
    for (const u of consist.slice(t(70))) expect(Math.abs(u - goal)).toBeLessThan(450)
    expect(Math.abs(mean(consist.slice(t(40))) - goal)).toBeLessThan(150)
  })

  it('agrees in fast and exact mode while it migrates', () => {
    const { fast, exact } = expectModesAgree('damon-tiering', {
      goalTuner: 'temporal',
      demoteGoalBp: 500,
      applyIntervalMs: 100,
      quotaResetIntervalMs: 100,
    })
    expect(fast.promotions).toBeGreaterThan(200)
    expect(exact.promotions).toBeGreaterThan(200)
  })

  it('agrees in fast and exact mode on the default 256 KiB runs, on the mean of five seeds', () => {
    // With hot data in 256 KiB runs (clusterPages 64) the 1.5 s run is mostly DAMON's search for
    // the hot set, and when its random region splits and samples find it varies from seed to seed
    // (in either mode the hit ratio spans ~0.13 over seeds 1-5; seed 1 alone parts the modes by
    // 0.14). Seed-for-seed agreement would test that luck; the validation tolerance (0.05 hit
    // ratio, test/unit/main/engine/sim/exact-vs-fast.test.ts) holds for the five-seed mean.
    const hit = (mode: 'fast' | 'exact', seed: number) =>
      runSimulation(
        {
          ...experiment(
            socketPlusCxl(1 / 32, 1 / 8),
            singleRegion(
              1 / 16,
              { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.95, clusterPages: 64 },
              { threads: 1, computeNsPerOp: 16000 },
            ),
            'damon-tiering',
            {
              goalTuner: 'temporal',
              demoteGoalBp: 500,
              applyIntervalMs: 100,
              quotaResetIntervalMs: 100,
            },
          ),
          pageBytes: 4096,
          durationS: 1.5,
          seed,
          mode,
        },
        BUILTIN_POLICIES,
      ).summary.topTierHitRatio
    const seeds = [1, 2, 3, 4, 5]
    const fast = seeds.map((s) => hit('fast', s))
    const exact = seeds.map((s) => hit('exact', s))
    const spread = (v: number[]) => Math.max(...v) - Math.min(...v)
    // The seeds matter: a spread of this order is what the single-seed gap came from.
    expect(Math.max(spread(fast), spread(exact))).toBeGreaterThan(0.05)
    expect(Math.abs(mean(fast) - mean(exact))).toBeLessThan(0.05)
  })

  it('refuses bad knobs with one error naming the knob and the fix', () => {
    const bad = (params: Record<string, unknown>) => () => run('damon-tiering', params, 0.1)
    expect(bad({ promoteGoalBp: 10001 })).toThrow(
      /knob "promoteGoalBp" must be between 0 and 10000 bp/,
    )
    expect(bad({ demoteGoalBp: -1 })).toThrow(/knob "demoteGoalBp" must be between 0 and 10000/)
    expect(bad({ minRegions: 2000, maxRegions: 1000 })).toThrow(
      /knob "minRegions" must be at most maxRegions; lower minRegions or raise maxRegions/,
    )
    expect(bad({ minRegions: 2 })).toThrow(/knob "minRegions" must be at least 3 regions/)
    expect(bad({ goalTuner: 'pid' })).toThrow(/knob "goalTuner" must be 'consist' or 'temporal'/)
  })
})
