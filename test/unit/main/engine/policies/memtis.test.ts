import { describe, expect, it } from 'vitest'
import {
  BUILTIN_POLICIES,
  listPolicies,
  runSimulation,
  type SimulationResult,
} from '../../../../../main/engine'
import { definePolicy, type TruthView } from '../../../../../main/engine/policies/api'
import { memtis } from '../../../../../main/engine/policies/memtis'
import { resolvePolicy } from '../../../../../main/engine/policies/resolve'
import { SAMPLE_CPU_S } from '../../../../../main/engine/sim/telemetry/samples'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'
import { hotSetOnCxl, lastOf, seriesOf } from './hot-set-on-cxl'

const topo = socketPlusCxl(1 / 8, 1 / 2)
// Memtis keeps 3 % of the fast tier free but at least 100 MB, sized for machines with tens of
// GB of DRAM; this one has 128 MiB, so the floor is scaled down with it (as runScaled does).
const SMALL = { headroomMinMB: 2 }

describe('memtis', () => {
  it('moves a hot set that starts on CXL into DRAM, where first touch leaves it', () => {
    const run = (policy: string, params = {}) =>
      runSimulation(
        experiment(topo, hotSetOnCxl(), policy, params, { pageBytes: 2097152, durationS: 5 }),
        BUILTIN_POLICIES,
      )
    const ft = run('first-touch')
    const mt = run('memtis', SMALL)
    expect(ft.summary.topTierHitRatio).toBeLessThan(0.1)
    // Until the first adaptation (100 000 samples, ~2 s here) the threshold is htmm_thres_hot = 1
    // and every sampled DRAM page is warm, so nothing is demoted; then the threshold rises above
    // the cold region's bin and the hot set moves up.
    const th = seriesOf(mt, 'policy.hotThresholdBin')
    expect(th[0]).toBe(1)
    expect(lastOf(th)).toBeGreaterThan(5)
    expect(lastOf(seriesOf(mt, 'topTierHitRatio'))).toBeGreaterThan(0.95)
    expect(mt.summary.topTierHitRatio).toBeGreaterThan(ft.summary.topTierHitRatio + 0.2)
    expect(mt.summary.throughputOpsPerS).toBeGreaterThan(ft.summary.throughputOpsPerS * 1.05)
    // The hot set it publishes is the 16 hot frames (32 MiB) and fits the fast tier.
    const hot = lastOf(seriesOf(mt, 'policy.hotSetBytes'))
    expect(hot).toBe(16 * 2097152)
    // Through the asynchronous queues of its kernel threads.
    expect(mt.summary.queuedMigrations).toBeGreaterThanOrEqual(mt.summary.promotions)
    expect(mt.summary.promotions).toBeGreaterThanOrEqual(16)
  })

  it('cools its counters, so the threshold settles instead of climbing with time', () => {
    // Adapting every 10 000 samples; ~270 000 samples in 5 s. Without cooling every counter keeps
    // growing and the threshold follows it up one bin per doubling; halving every 50 000 samples
    // holds the counters (and the threshold) at a steady level.
    const run = (coolingPeriodSamples: number) =>
      seriesOf(
        runSimulation(
          experiment(
            topo,
            hotSetOnCxl(),
            'memtis',
            { ...SMALL, coolingPeriodSamples, adaptationPeriodSamples: 10_000 },
            { pageBytes: 2097152, durationS: 5 },
          ),
          BUILTIN_POLICIES,
        ),
        'policy.hotThresholdBin',
      )
    const growing = run(2_000_000)
    const cooled = run(50_000)
    expect(lastOf(growing)).toBeGreaterThan(lastOf(cooled))
    expect(lastOf(growing)).toBeGreaterThan(growing[200])
    // Over the last 3 s the cooled threshold stays within one bin (a cooling lowers it by one,
    // the next adaptations may raise it back).
    const tail = cooled.slice(200)
    expect(Math.max(...tail) - Math.min(...tail)).toBeLessThanOrEqual(1)
  })

  it('fills the fast tier with the hottest pages, within one histogram bin', () => {
    // zipf(1) over 64 MiB of 4 KiB pages, 32 MiB of DRAM. A wrapper hands the truth to the test
    // only (the policy runs as shipped) and records the placement at the end.
    const seen: { hit: number; ideal: number; band: number; topShareInDram: number }[] = []
    const probe = definePolicy({
      ...memtis,
      id: 'memtis-probe',
      needsTruth: true,
      create: (k, ctx, truth) => {
        const inner = memtis.create(k, ctx, null)
        return {
          ...inner,
          onEpoch: (c) => {
            inner.onEpoch?.(c)
            if (c.nowS + c.epochS > 10 - 1e-9 && truth)
              seen.push(measure(truth, c.frameNode.bind(c), c.isTopTier.bind(c)))
          },
        }
      },
    })
    const exp = experiment(
      socketPlusCxl(1 / 32, 1 / 8),
      singleRegion(1 / 16, { kind: 'zipf', s: 1 }, { threads: 1, computeNsPerOp: 50, mlp: 4 }),
      'memtis-probe',
      { headroomMinMB: 0.5 },
      { pageBytes: 4096, durationS: 10 },
    )
    const r = runSimulation(exp, probe)
    const m = seen[0]
    // The pages 4× hotter than the last one that fits are at least two bins above the threshold
    // whatever the sampling noise: all of them are in DRAM.
    expect(m.topShareInDram).toBeGreaterThan(0.97)
    // What Memtis may lose against the ideal placement is the pages within its resolution of the
    // boundary: those between a quarter of and the whole fast tier (zipf(1): ln 4 / H(16384) of
    // the accesses ≈ 0.13). First touch on this shuffled region would keep about half.
    expect(m.hit).toBeGreaterThan(m.ideal - m.band)
    expect(m.hit).toBeGreaterThan(0.75)
    // A base page with one sample is in bin 9; the threshold settled above that.
    expect(lastOf(seriesOf(r, 'policy.hotThresholdBin'))).toBeGreaterThan(9)
    expect(lastOf(seriesOf(r, 'policy.hotSetBytes'))).toBeLessThanOrEqual(32 * 1024 * 1024)
  })

  it('keeps its sampler within the CPU quota by lengthening the sample period', () => {
    // One thread with no compute and 10 misses in flight: ~7e7 accesses/s, so a sample in 199
    // costs ~7 % of a CPU. Checks every 250 ms instead of 15 s so the period settles in seconds.
    const run = (cpuQuotaPct: number) =>
      runSimulation(
        experiment(
          topo,
          singleRegion(0.25, { kind: 'zipf', s: 0.9 }, { threads: 1, computeNsPerOp: 0, mlp: 10 }),
          'memtis',
          { ...SMALL, quotaCheckMs: 250, cpuQuotaPct },
          { pageBytes: 2097152, durationS: 6 },
        ),
        BUILTIN_POLICIES,
      )
    // The engine's own count of samples over the last 2 s (200 epochs) × their CPU cost, as a
    // share of the one thread's CPU (= one CPU, what Memtis's quota is a share of).
    const tailShare = (r: SimulationResult) => {
      const v = seriesOf(r, 'samplesPerS').slice(-200)
      return (v.reduce((a, b) => a + b, 0) / v.length) * SAMPLE_CPU_S
    }
    const free = run(0)
    const capped = run(3)
    expect(tailShare(free)).toBeGreaterThan(0.05)
    expect(lastOf(seriesOf(free, 'policy.samplePeriod'))).toBe(199)
    expect(tailShare(capped)).toBeLessThanOrEqual(0.035)
    expect(tailShare(capped)).toBeGreaterThan(0.02)
    expect(lastOf(seriesOf(capped, 'policy.samplePeriod'))).toBeGreaterThan(199)
  })

  it('lists its knobs at the sysfs defaults, with units', () => {
    const info = listPolicies().find((p) => p.id === 'memtis')!
    const knob = (n: string) => info.knobs.find((k) => k.name === n)!
    expect(knob('samplePeriod')).toMatchObject({ default: 199, unit: 'accesses', type: 'integer' })
    expect(knob('coolingPeriodSamples')).toMatchObject({ default: 2_000_000, unit: 'samples' })
    expect(knob('migrationPeriodMs')).toMatchObject({ default: 500, unit: 'ms' })
    expect(knob('cpuQuotaPct')).toMatchObject({ default: 3, unit: '% of a CPU' })
    expect(knob('hugePageSplit')).toMatchObject({ default: false, type: 'boolean' })
    for (const k of info.knobs) expect(k.description.length).toBeGreaterThan(20)
  })

  it('refuses bad knobs with the knob and the fix, before the run starts', () => {
    const err = (params: Record<string, unknown>) => {
      try {
        resolvePolicy(BUILTIN_POLICIES, 'memtis', params)
      } catch (e) {
        return (e as Error).message
      }
      return ''
    }
    expect(err({ hugePageSplit: 'yes' })).toMatch(/knob "hugePageSplit"/)
    expect(err({ headroomMinMB: 2000 })).toMatch(
      /knob "headroomMaxMB" must be at least headroomMinMB/,
    )
    expect(err({ samplePeriod: 0 })).toMatch(/knob "samplePeriod"/)
    expect(err({ cpuQuota: 3 })).toMatch(/has no knob "cpuQuota"/)
    expect(() =>
      runSimulation(
        experiment(topo, hotSetOnCxl(), 'memtis', { hugePageSplit: 'yes' }),
        BUILTIN_POLICIES,
      ),
    ).toThrow(/hugePageSplit/)
  })
})

/** Hit ratios by true rates: Memtis's placement, the ideal one, and the boundary band. */
function measure(
  truth: TruthView,
  frameNode: (f: number) => number,
  isTop: (n: number) => boolean,
): { hit: number; ideal: number; band: number; topShareInDram: number } {
  const order = truth.hotOrder()
  const k = truth.hotSetFrames()
  let total = 0
  let hit = 0
  let ideal = 0
  let band = 0
  let top = 0
  let topIn = 0
  for (let i = 0; i < order.length; i++) {
    const f = order[i]
    const node = frameNode(f)
    if (node < 0) continue
    const r = truth.frameAccessRate(f)
    total += r
    if (isTop(node)) hit += r
    if (i < k) ideal += r
    if (i >= k / 4 && i < k) band += r
    if (i < k / 4) {
      top++
      if (isTop(node)) topIn++
    }
  }
  return { hit: hit / total, ideal: ideal / total, band: band / total, topShareInDram: topIn / top }
}
