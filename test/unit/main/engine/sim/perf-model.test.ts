import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { defaultLatencyCurve, latencyFactorAt } from '../../../../../main/engine/sim/latency-curve'
import { experiment, singleRegion, socketPlusCxl } from './fixtures'

describe('closed-loop performance model', () => {
  it('gives threads ÷ (compute + accesses × latency ÷ MLP) at idle latency', () => {
    // DRAM path = device 100 ns; 2 threads, 100 ns compute, 1 access/op, MLP 1:
    // ops/s = 2 × 1e9 / (100 + 100) = 1e7. Traffic 1e7 × 64 B = 0.64 GB/s of 100 GB/s (0.64 %),
    // below the curve's first point (0.82 %), where the factor is 1.
    const exp = experiment(
      socketPlusCxl(1, 1),
      singleRegion(0.25, { kind: 'uniform' }, { threads: 2, computeNsPerOp: 100 }),
      'first-touch',
      {},
      { durationS: 0.1 },
    )
    const r = runSimulation(exp, BUILTIN_POLICIES)
    expect(r.summary.throughputOpsPerS).toBeCloseTo(1e7, 0)
    expect(r.summary.meanLatencyNs).toBeCloseTo(100, 6)
    expect(r.summary.topTierHitRatio).toBe(1)
  })

  it('adds the link latency for memory behind CXL', () => {
    // All pages on node 1 (CXL): 170 ns device + 70 ns link = 240 ns idle.
    // ops/s ≈ 2e9 / (100 + 240) = 5.88e6 → 0.376 GB/s: 1.25 % of the device's 30 GB/s and 1.18 % of
    // the link's 32 GB/s, past the curve's first point (0.82 %, factor 1) towards (49.4 %, 1.209):
    // device 170 × 0.209 × (1.25 − 0.82) / 48.6 ≈ 0.32 ns, link 170 × 0.209 × (1.18 − 0.82) / 48.6
    // ≈ 0.26 ns, so ≈ 240.6 ns.
    const exp = experiment(
      socketPlusCxl(1, 1),
      singleRegion(0.25, { kind: 'uniform' }, { threads: 2, computeNsPerOp: 100 }),
      'interleave',
      { nodes: [1] },
      { durationS: 0.1 },
    )
    const r = runSimulation(exp, BUILTIN_POLICIES)
    expect(r.summary.meanLatencyNs).toBeCloseTo(240.6, 1)
    expect(r.summary.throughputOpsPerS / (2e9 / 340.6)).toBeCloseTo(1, 3)
    expect(r.summary.topTierHitRatio).toBe(0)
    // All-fast bound: 2e9 / (100 + 100) = 1e7, so the slowdown is 340.6 / 200 = 1.703.
    expect(r.summary.slowdownVsAllFast).toBeCloseTo(1.703, 3)
  })

  it('follows the Ice Lake loaded-latency curve', () => {
    const c = defaultLatencyCurve()
    // [ICX] 110 ns at 174 of 352 GB/s, normalised to 91 ns idle.
    expect(latencyFactorAt(c, 174 / 352)).toBeCloseTo(110 / 91, 9)
    expect(latencyFactorAt(c, 1)).toBeCloseTo(264 / 91, 9)
    // Halfway between 297 and 352 GB/s: (154 + 264) / 2 / 91.
    expect(latencyFactorAt(c, (297 + 352) / 2 / 352)).toBeCloseTo(209 / 91, 9)
    // Past peak the queue keeps growing.
    expect(latencyFactorAt(c, 1.1)).toBeGreaterThan(latencyFactorAt(c, 1))
  })
})
