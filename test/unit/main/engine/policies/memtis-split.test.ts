import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'
import { lastOf, seriesOf } from './hot-set-on-cxl'

const MIB = 1024 * 1024

/**
 * Memtis's huge-page split [MEMTIS] on a skewed workload: 256 MiB of 2 MiB pages whose hot eighth
 * (90 % of the accesses) lies in 256 KiB runs (clusterPages 64) scattered over two thirds of the
 * huge pages, over 64 MiB of DRAM and CXL. By huge page the hot data does not fit DRAM; by base
 * page it fits twice. Counters cool every 20 000 samples and the threshold adapts every 2 000, so
 * several coolings (and split decisions) happen within the run; 2 MB of headroom on this small
 * DRAM, as the other Memtis tests scale it.
 */
function skewed(
  hugePageSplit: boolean,
  mode: 'fast' | 'exact',
  durationS: number,
  coolingPeriodSamples = 20_000,
) {
  return experiment(
    socketPlusCxl(1 / 16, 1 / 2),
    singleRegion(
      1 / 4,
      { kind: 'hotset', hotFraction: 1 / 8, hotProbability: 0.9, clusterPages: 64 },
      { threads: 1, computeNsPerOp: 4000, mlp: 4 },
    ),
    'memtis',
    {
      headroomMinMB: 2,
      samplePeriod: 16,
      coolingPeriodSamples,
      adaptationPeriodSamples: coolingPeriodSamples / 10,
      hugePageSplit,
    },
    { pageBytes: 2097152, durationS, mode },
  )
}

describe('memtis huge-page split', () => {
  it('splits skewed huge pages and gets more of the accesses into DRAM, never over its capacity', () => {
    const whole = runSimulation(skewed(false, 'fast', 8), BUILTIN_POLICIES)
    const split = runSimulation(skewed(true, 'fast', 8), BUILTIN_POLICIES)
    // Whole huge pages: DRAM holds a third of the pages with hot data (~0.41 of the accesses);
    // split ones put their hot base pages there and their cold ones on CXL (~0.57 over the run,
    // ~0.73 at its end).
    expect(split.summary.topTierHitRatio).toBeGreaterThan(whole.summary.topTierHitRatio + 0.1)
    expect(lastOf(seriesOf(split, 'topTierHitRatio'))).toBeGreaterThan(
      lastOf(seriesOf(whole, 'topTierHitRatio')) + 0.2,
    )
    // The splits are a policy series: none before the first cooling, then a growing count.
    const splits = seriesOf(split, 'policy.splitHugePages')
    expect(splits[0]).toBe(0)
    expect(lastOf(splits)).toBeGreaterThan(20)
    for (let i = 1; i < splits.length; i++) expect(splits[i]).toBeGreaterThanOrEqual(splits[i - 1])
    expect(lastOf(seriesOf(whole, 'policy.splitHugePages'))).toBe(0)
    // Base pages moved one by one: promotions count 4 KiB pages.
    expect(split.summary.promotions).toBeGreaterThan(1000)
    // Every byte accounted: DRAM never over its 64 MiB, the two nodes always hold the 256 MiB.
    const dram = seriesOf(split, 'node.0.usedBytes')
    const cxl = seriesOf(split, 'node.1.usedBytes')
    for (let i = 0; i < dram.length; i++) {
      expect(dram[i]).toBeLessThanOrEqual(64 * MIB)
      expect(dram[i] + cxl[i]).toBe(256 * MIB)
      expect(dram[i] % 4096).toBe(0)
    }
    expect(split.summary.throughputOpsPerS).toBeGreaterThan(whole.summary.throughputOpsPerS)
  })

  it('agrees in fast and exact mode with splitting on (the validation tolerances)', () => {
    // Cooling twice as often, so the splits settle within 4 s (seeds 1–3 agree within 0.02).
    const fast = runSimulation(skewed(true, 'fast', 4, 10_000), BUILTIN_POLICIES)
    const exact = runSimulation(skewed(true, 'exact', 4, 10_000), BUILTIN_POLICIES)
    for (const r of [fast, exact])
      expect(lastOf(seriesOf(r, 'policy.splitHugePages'))).toBeGreaterThan(0)
    expect(Math.abs(exact.summary.topTierHitRatio - fast.summary.topTierHitRatio)).toBeLessThan(
      0.05,
    )
    expect(
      Math.abs(exact.summary.throughputOpsPerS / fast.summary.throughputOpsPerS - 1),
    ).toBeLessThan(0.03)
  })
})
