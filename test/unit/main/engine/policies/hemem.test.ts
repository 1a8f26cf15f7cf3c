import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, listPolicies, runSimulation } from '../../../../../main/engine'
import { resolvePolicy } from '../../../../../main/engine/policies/resolve'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { experiment, socketPlusCxl } from '../sim/fixtures'
import { hotSetOnCxl, lastOf, seriesOf } from './hot-set-on-cxl'

const topo = socketPlusCxl(1 / 8, 1 / 2)
const HUGE = 2097152
// HeMem manages 2 MiB pages (hemem.h: PAGE_SIZE = HUGEPAGE_SIZE); at its sample period of 5003 a
// 4 KiB page of this small workload would take minutes to collect 8 samples.
const run = (policy: string, params: Record<string, unknown> = {}, writeFraction = 0) =>
  runSimulation(
    experiment(topo, hotSetOnCxl(writeFraction), policy, params, {
      pageBytes: HUGE,
      durationS: 3,
    }),
    BUILTIN_POLICIES,
  )

describe('hemem', () => {
  it('moves a hot set that starts on CXL into DRAM, where first touch leaves it', () => {
    const ft = run('first-touch')
    const hm = run('hemem')
    expect(ft.summary.topTierHitRatio).toBeLessThan(0.1)
    expect(lastOf(seriesOf(hm, 'topTierHitRatio'))).toBeGreaterThan(0.95)
    expect(hm.summary.topTierHitRatio).toBeGreaterThan(ft.summary.topTierHitRatio + 0.5)
    expect(hm.summary.throughputOpsPerS).toBeGreaterThan(ft.summary.throughputOpsPerS * 1.2)
    // DRAM was full of the cold region: each promotion first moved a cold page down.
    expect(hm.summary.promotions).toBeGreaterThanOrEqual(16)
    expect(hm.summary.demotions).toBe(hm.summary.promotions)
    expect(lastOf(seriesOf(hm, 'policy.hotSlowPages'))).toBe(0)
  })

  it('never promotes more than its per-pass budget', () => {
    // 4 MiB = 2 pages per 10 ms pass, one pass per 10 ms epoch; 16 hot pages wait.
    const capped = run('hemem', { passBudgetMB: 4 })
    const perEpochBytes = seriesOf(capped, 'promotedBytesPerS').map((v) => v * 0.01)
    expect(Math.max(...perEpochBytes)).toBeLessThanOrEqual(4 * 1024 * 1024 + 1)
    expect(Math.max(...seriesOf(capped, 'policy.passPromotedBytes'))).toBe(2 * HUGE)
    // All 16 pages still move up, over at least 8 passes.
    expect(perEpochBytes.filter((b) => b > 0).length).toBeGreaterThanOrEqual(8)
    expect(capped.summary.promotions).toBeGreaterThanOrEqual(16)
    // Without it (10 GB), a pass takes every page that turned hot since the last one: more
    // than 2 at once, so the budget above did bind.
    const free = run('hemem')
    expect(Math.max(...seriesOf(free, 'policy.passPromotedBytes'))).toBeGreaterThan(2 * HUGE)
  })

  it('stops moving a page that has moved migrationStopThreshold times', () => {
    // Regions a and b (32 pages each) take turns being hot every 0.5 s; DRAM holds the 32-page
    // filler plus about one of them. Each turn moves the newly hot region up and cold pages down.
    const phase = (hot: 'a' | 'b') => ({
      durationS: 0.5,
      accesses: [
        { region: 'filler', share: 0.035, pattern: { kind: 'uniform' as const } },
        { region: 'a', share: hot === 'a' ? 0.96 : 0.005, pattern: { kind: 'uniform' as const } },
        { region: 'b', share: hot === 'b' ? 0.96 : 0.005, pattern: { kind: 'uniform' as const } },
      ],
    })
    const wl = workloadSchema.parse({
      format: 'tierlab.workload/v1',
      name: 'alternating hot regions',
      regions: ['filler', 'a', 'b'].map((id) => ({ id, sizeGiB: 1 / 16, firstTouch: 'p0' })),
      processes: [
        {
          id: 'p0',
          initiator: 's0',
          threads: 1,
          computeNsPerOp: 50,
          accessesPerOp: 1,
          mlp: 4,
          writeFraction: 0,
          phases: (['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'] as const).map(phase),
        },
      ],
    })
    const moves = (migrationStopThreshold: number) =>
      runSimulation(
        experiment(
          topo,
          wl,
          'hemem',
          { migrationStopThreshold },
          { pageBytes: HUGE, durationS: 4 },
        ),
        BUILTIN_POLICIES,
      ).summary
    const once = moves(1)
    const thrice = moves(3)
    const unlimited = moves(255)
    // A page moved once never comes back up (it is stopped when next found hot), so pages hardly
    // return to the node they just left; each higher limit lets more of them ping-pong.
    expect(once.pingPongs).toBeLessThanOrEqual(2)
    expect(thrice.pingPongs).toBeGreaterThan(once.pingPongs)
    // A higher limit never stops more: over 4 s few pages reach a third move, so 3 and 255 may tie.
    expect(unlimited.pingPongs).toBeGreaterThanOrEqual(thrice.pingPongs)
    expect(once.promotions).toBeLessThan(unlimited.promotions)
  })

  it('counts stores against their own threshold', () => {
    // Loads alone can never make a page hot here; stores, half the accesses, can.
    const params = { hotReadThreshold: 65_535, hotWriteThreshold: 8 }
    expect(run('hemem', params, 0).summary.promotions).toBe(0)
    const writes = run('hemem', params, 0.5)
    expect(writes.summary.promotions).toBeGreaterThanOrEqual(16)
    expect(lastOf(seriesOf(writes, 'topTierHitRatio'))).toBeGreaterThan(0.95)
  })

  it('charges its polling sampler thread beside the application, not in it', () => {
    const polling = run('hemem')
    const quiet = run('hemem', { scanThreadCores: 0 })
    // One core for 3 s, on top of what the engine charges for samples and copies.
    expect(polling.summary.policyChargesCpuS).toBeCloseTo(3, 6)
    expect(quiet.summary.policyChargesCpuS).toBe(0)
    // The socket has 8 cores for one application thread: the thread beside it costs no throughput.
    expect(polling.summary.throughputOpsPerS).toBeCloseTo(quiet.summary.throughputOpsPerS, -2)
  })

  it("lists its knobs at the SOSP'21 code's defaults, with units", () => {
    const info = listPolicies().find((p) => p.id === 'hemem')!
    const knob = (n: string) => info.knobs.find((k) => k.name === n)!
    expect(knob('samplePeriod')).toMatchObject({ default: 5003, unit: 'accesses' })
    expect(knob('hotReadThreshold')).toMatchObject({ default: 8, unit: 'samples' })
    expect(knob('hotWriteThreshold')).toMatchObject({ default: 8, unit: 'samples' })
    expect(knob('coolingThreshold')).toMatchObject({ default: 18 })
    expect(knob('passIntervalMs')).toMatchObject({ default: 10, unit: 'ms' })
    expect(knob('passBudgetMB')).toMatchObject({ default: 10_240, unit: 'MB' })
    for (const k of info.knobs) expect(k.description.length).toBeGreaterThan(20)
  })

  it('refuses bad knobs with the knob and the fix, before the run starts', () => {
    const msg = (params: Record<string, unknown>) => {
      try {
        resolvePolicy(BUILTIN_POLICIES, 'hemem', params)
      } catch (e) {
        return (e as Error).message
      }
      return ''
    }
    expect(msg({ hotReadThreshold: 0 })).toMatch(/policy "hemem": knob "hotReadThreshold"/)
    expect(msg({ passBudgetMB: -1 })).toMatch(/knob "passBudgetMB"/)
    expect(msg({ hotThreshold: 8 })).toMatch(/has no knob "hotThreshold"; its knobs are/)
  })
})
