import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { demotionTargets } from '../../../../../main/engine/topology/demotion'
import { cxl, cxlSwitch, gen5, socket, topology, upi } from './build'

const tier = (t: number, nodes: number[]) => ({ tier: t, adistanceStart: t * 128, nodes })

/** A distance table where row `from` has the given distances and every other entry is 255. */
function table(size: number, from: number, row: Record<number, number>): number[][] {
  return Array.from({ length: size }, (_, i) =>
    Array.from({ length: size }, (_, j) => (i === j ? 10 : i === from ? (row[j] ?? 255) : 255)),
  )
}

describe('demotion targets (establish_demotion_targets)', () => {
  it('keeps every node of the next tier at the same minimum distance (ties)', () => {
    // 2 sockets (110 ns, 300 GB/s); two identical expanders on s0 (140 + 70 = 210 ns); a pool
    // behind a switch that both sockets reach at 140 + 40 + 70 + 30 = 280 ns.
    const a = analyzeTopology(
      topology(
        [socket('s0'), socket('s1'), cxlSwitch('sw0', 70), cxl('p0'), cxl('c0'), cxl('c1')],
        [
          upi('s0', 's1', 55, 55.7),
          gen5('s0', 'sw0', 16, 40),
          gen5('s1', 'sw0', 16, 40),
          gen5('sw0', 'p0', 8, 30),
          gen5('s0', 'c0', 8, 70),
          gen5('s0', 'c1', 8, 70),
        ],
      ),
    )
    // Gen5 x8 = 31507 MB/s. c0, c1: 576 × 420 / 220 = 1099; × 600000 / 63014 = 10464 → tier 81.
    // p0: 576 × 560 / 220 = 1466; × 600000 / 63014 = 13958 → tier 109.
    expect(a.tiers.map((t) => [t.tier, t.nodes])).toEqual([
      [4, [0, 1]],
      [81, [3, 4]],
      [109, [2]],
    ])
    // s0: c0 and c1 both at 10 × 210/110 → 19; s1: both at 10 × 265/110 → 24: ties, both kept.
    // c0, c1 → p0 (255, CPU-less to CPU-less).
    expect(a.distance[0].slice(3)).toEqual([19, 19])
    expect(a.distance[1].slice(3)).toEqual([24, 24])
    expect(a.demotionTargets).toEqual({ '0': [3, 4], '1': [3, 4], '2': [], '3': [2], '4': [2] })
    expect(a.demotionFallback).toEqual({
      '0': [2, 3, 4],
      '1': [2, 3, 4],
      '2': [],
      '3': [2],
      '4': [2],
    })
  })

  it('takes all CPU-less nodes at 255 as ties', () => {
    const d = table(4, 1, {})
    const out = demotionTargets({
      memoryNodes: [0, 1, 2, 3],
      hasCpu: (n) => n === 0,
      distance: d,
      tiers: [tier(4, [0]), tier(22, [1]), tier(80, [2, 3])],
    })
    expect(out.preferred['1']).toEqual([2, 3])
  })

  it('stops at the first node whose distance differs, even when the CPU penalty reordered it', () => {
    // From node 2 to the next tier {3, 4, 5}: distances 21, 20, 20; node 4 has CPUs.
    // Values: 3 → 21, 4 → 20 + 1 (CPU) = 21, 5 → 20. Order: 5 (20), then 3 (21, lower id than 4).
    // 3 is at distance 21 ≠ 20, so the loop stops: node 4 is left out although it is at 20.
    const out = demotionTargets({
      memoryNodes: [0, 1, 2, 3, 4, 5],
      hasCpu: (n) => n === 0 || n === 4,
      distance: table(6, 2, { 3: 21, 4: 20, 5: 20 }),
      tiers: [tier(4, [0, 1, 2]), tier(10, [3, 4, 5])],
    })
    expect(out.preferred['2']).toEqual([5])
    expect(out.fallback['2']).toEqual([3, 4, 5])
  })

  it('penalises nodes below the source id ("prefer the next node") without dropping equal distances', () => {
    // From node 2: 1 at 20 (val 21), 3 at 20 (val 20), 4 at 21 (val 21).
    // Order 3, then 1 (21, lower id than 4): distance 20 equals → kept; then 4 at 21 → stop.
    const out = demotionTargets({
      memoryNodes: [0, 1, 2, 3, 4],
      hasCpu: (n) => n === 0,
      distance: table(5, 2, { 1: 20, 3: 20, 4: 21 }),
      tiers: [tier(4, [0, 2]), tier(10, [1, 3, 4])],
    })
    expect(out.preferred['2']).toEqual([1, 3])
  })
})
