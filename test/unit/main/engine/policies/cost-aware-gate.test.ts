import { describe, expect, it } from 'vitest'
import {
  CostAwareGate,
  savingNs,
  type MigrationPrice,
} from '../../../../../main/engine/policies/cost-aware-gate'
import { DEFAULT_MIGRATION_COST } from '../../../../../main/engine/kernel'

describe('cost-aware promotion gate', () => {
  const price: MigrationPrice = { cpuNs: 1000, copyNs: 1_000_000, bandwidthNs: 500 }

  it('saves rate × latency gap × hot time, less the time the copy takes', () => {
    // 1000 accesses/s × 100 ns × (1 s − 1 ms of copy) = 99.9 µs.
    expect(
      savingNs({ accessRatePerS: 1000, latencyGapNs: 100, expectedHotS: 1 }, price),
    ).toBeCloseTo(99_900)
    // Gone before the copy completes: nothing saved; a negative gap saves nothing either.
    expect(savingNs({ accessRatePerS: 1e6, latencyGapNs: 100, expectedHotS: 0.0005 }, price)).toBe(
      0,
    )
    expect(savingNs({ accessRatePerS: 1e6, latencyGapNs: -50, expectedHotS: 1 }, price)).toBe(0)
  })

  it('promotes only past the break-even of CPU plus bandwidth taken, and counts both answers', () => {
    const gate = new CostAwareGate({ pageBytes: 4096, batchFrames: 512 })
    // 1500 ns to pay back: 10 accesses/s × 100 ns × 1.002 s ≈ 1 µs is not enough, 20/s is.
    expect(gate.decide({ accessRatePerS: 10, latencyGapNs: 100, expectedHotS: 1.001 }, price)).toBe(
      false,
    )
    expect(gate.decide({ accessRatePerS: 20, latencyGapNs: 100, expectedHotS: 1.001 }, price)).toBe(
      true,
    )
    expect(gate.takeCounts()).toEqual({ promoted: 1, rejected: 1 })
    expect(gate.takeCounts()).toEqual({ promoted: 0, rejected: 0 })
  })

  it('prices a frame at the batched migration CPU of its size [MIGOFF]', () => {
    const ctx = {
      analysis: { nodes: [{ access0: { readBandwidthMBps: 100_000 } }, { access0: null }] },
      nodeCounters: () => ({ utilisation: 0.5 }),
    } as never
    const gate = new CostAwareGate({ pageBytes: 4096, batchFrames: 512 })
    const p = gate.price(ctx, 0, 1)
    expect(p.cpuNs).toBeCloseTo(DEFAULT_MIGRATION_COST.batched4KiBNs)
    // 4096 B at 100 GB/s is 41 ns of the channel, half of it taken from a half-busy workload.
    expect(p.bandwidthNs).toBeCloseTo(4096 / 100 / 2)
    const single = new CostAwareGate({ pageBytes: 4096, batchFrames: 1 }).price(ctx, 0, 1)
    expect(single.cpuNs).toBeCloseTo(DEFAULT_MIGRATION_COST.single4KiBNs)
  })
})
