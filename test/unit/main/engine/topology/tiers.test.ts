import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { cxl, gpu, link, memory, socket, topology, upi } from './build'

describe('memory tiers and the top tier', () => {
  it('counts an HBM tier faster than DRAM as top tier, and demotes HBM to DRAM', () => {
    // HBM from s0: 100 + 40 = 140 ns, min(3000, 900) = 900 GB/s.
    // 576 × 280 = 161280; / 220 = 733; × 600000 = 439800000; / 1800000 = 244 → tier 1.
    const a = analyzeTopology(
      topology([socket('s0'), gpu('g0', true, memory(100, 3000))], [link('s0', 'g0', 40, 900)]),
    )
    expect(a.nodes[1]).toMatchObject({ adistance: 244, tier: 1 })
    expect(a.tiers.map((t) => [t.tier, t.nodes])).toEqual([
      [1, [1]],
      [4, [0]],
    ])
    // Slowest tier with a CPU node is tier 4: 512 + 127 = 639; HBM (start 128) is below it.
    expect(a.topTierAdistance).toBe(639)
    expect(a.nodes.map((n) => n.topTier)).toEqual([true, true])
    // Kernel example 3: HBM demotes to DRAM, DRAM (last tier) to nothing.
    expect(a.demotionTargets).toEqual({ '0': [], '1': [0] })
    expect(a.demotionFallback).toEqual({ '0': [], '1': [0] })
  })

  it('takes the top tier from the slowest tier holding a CPU node', () => {
    // s1: 121 ns, 270 GB/s against s0's 110 ns, 300 GB/s: within 10 % on every metric
    // (11 × 10 = 110 ≤ 110; 30000 × 10 = 300000 ≤ 300000).
    // 576 × 242 = 139392; / 220 = 633; × 600000 = 379800000; / 540000 = 703 → tier 5.
    const a = analyzeTopology(
      topology(
        [socket('s0'), socket('s1', memory(121, 270)), cxl('c0')],
        [upi('s0', 's1', 55, 60), link('s0', 'c0', 70, 32)],
      ),
    )
    expect(a.nodes[1]).toMatchObject({ adistance: 703, tier: 5 })
    expect(a.topTierAdistance).toBe(5 * 128 + 127)
    expect(a.nodes.map((n) => n.topTier)).toEqual([true, true, false])
    expect(a.tiers.map((t) => t.tier)).toEqual([4, 5, 80])
  })

  it('keeps zero-capacity memory out of the tiers', () => {
    const a = analyzeTopology(
      topology(
        [socket('s0'), cxl('c0', memory(140, 36, { capacityGiB: 0 }))],
        [link('s0', 'c0', 70, 32)],
      ),
    )
    expect(a.nodes[1].hasMemory).toBe(false)
    expect(a.tiers.map((t) => t.nodes)).toEqual([[0]])
    expect(a.demotionTargets).toEqual({ '0': [] })
  })
})
