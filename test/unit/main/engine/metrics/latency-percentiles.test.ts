import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { LatencyMix } from '../../../../../main/engine/metrics/latency-mix'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'

describe('latency mix percentiles', () => {
  it('are percentiles of accesses: ¾ at DRAM latency and ¼ at CXL latency', () => {
    const mix = new LatencyMix()
    for (let epoch = 0; epoch < 100; epoch++) {
      mix.add(110, 3_000)
      mix.add(260, 1_000)
    }
    expect(mix.percentile(0.5)).toBe(110)
    // Exactly three quarters are at 110 ns: the 75th percentile access is still a DRAM access.
    expect(mix.percentile(0.75)).toBe(110)
    expect(mix.percentile(0.9)).toBe(260)
    expect(mix.percentile(0.99)).toBe(260)
    expect(mix.percentile(0.999)).toBe(260)
  })

  it('weights epochs by their accesses, not one vote per epoch', () => {
    const mix = new LatencyMix()
    // 9 quiet epochs at 500 ns and one busy epoch at 100 ns with 10× all their accesses together.
    for (let e = 0; e < 9; e++) mix.add(500, 10)
    mix.add(100, 900)
    expect(mix.percentile(0.5)).toBe(100)
    expect(mix.percentile(0.95)).toBe(500)
  })

  it('is 0 with no accesses and ignores empty or invalid weights', () => {
    const mix = new LatencyMix()
    expect(mix.percentile(0.5)).toBe(0)
    mix.add(200, 0)
    mix.add(Number.NaN, 5)
    mix.add(300, Number.POSITIVE_INFINITY)
    expect(mix.percentile(0.99)).toBe(0)
    mix.add(150, 1)
    expect(mix.percentile(0.99)).toBe(150)
  })

  it('keeps nearby latencies apart to within 0.1 %', () => {
    const mix = new LatencyMix()
    mix.add(100, 1)
    mix.add(101, 1)
    expect(mix.percentile(0.5)).toBe(100)
    expect(mix.percentile(1)).toBe(101)
  })
})

describe('run summary latency percentiles', () => {
  it('reflect the slow share of accesses under a static 3:1 DRAM:CXL placement', () => {
    // 128 frames of 2 MiB interleaved 3:1 and accessed uniformly: a quarter of the accesses go
    // to CXL. The load is light, so every access of a tier sees the same latency.
    const r = runSimulation(
      experiment(
        socketPlusCxl(1, 1),
        singleRegion(0.25, { kind: 'uniform' }),
        'weighted-interleave',
        {
          mode: 'manual',
          nodes: [0, 1],
          weights: { '0': 3, '1': 1 },
        },
      ),
      BUILTIN_POLICIES,
    )
    const s = r.summary
    expect(r.summary.topTierHitRatio).toBeCloseTo(0.75, 3)
    const dramNs = s.p50LatencyNs
    const cxlNs = s.p99LatencyNs
    // Local DRAM ≈ 100 ns; CXL ≈ 170 ns device + 70 ns link: clearly two different latencies.
    expect(dramNs).toBeGreaterThan(90)
    expect(dramNs).toBeLessThan(130)
    expect(cxlNs).toBeGreaterThan(220)
    expect(s.p90LatencyNs).toBe(cxlNs)
    expect(s.p999LatencyNs).toBe(cxlNs)
    // The mean is the ¾ : ¼ mix of the two (percentiles of epoch means would all equal it).
    expect(
      Math.abs(s.meanLatencyNs - (0.75 * dramNs + 0.25 * cxlNs)) / s.meanLatencyNs,
    ).toBeLessThan(0.01)
  })

  it('reports the placement at the end of the run per node', () => {
    const r = runSimulation(
      experiment(
        socketPlusCxl(1, 1),
        singleRegion(0.25, { kind: 'uniform' }),
        'weighted-interleave',
        {
          mode: 'manual',
          nodes: [0, 1],
          weights: { '0': 3, '1': 1 },
        },
      ),
      BUILTIN_POLICIES,
    )
    expect(r.nodes.map((n) => [n.node, n.component, n.usedBytes])).toEqual([
      [0, 's0', 96 * 2 ** 21],
      [1, 'c0', 32 * 2 ** 21],
    ])
    expect(r.nodes[0].accessShare).toBeCloseTo(0.75, 6)
    expect(r.nodes[1].accessShare).toBeCloseTo(0.25, 6)
  })
})
