import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { cxl, gen5, gpu, link, memory, socket, topology, upi } from './build'

describe('SLIT-like distances', () => {
  it('scales idle read latency to the local latency, with 255 between CPU-less nodes', () => {
    // 2 sockets (110 ns), UPI +55 ns, one expander each (140 + 70 = 210 ns local socket).
    const a = analyzeTopology(
      topology(
        [socket('s0'), socket('s1'), cxl('c0'), cxl('c1')],
        [upi('s0', 's1', 55, 55.7), gen5('s0', 'c0', 8, 70), gen5('s1', 'c1', 8, 70)],
      ),
    )
    // s0→s1: 10 × 165/110 = 15; s0→c0: 10 × 210/110 = 19.09 → 19; s0→c1: 10 × 265/110 = 24.09 → 24.
    expect(a.distance).toEqual([
      [10, 15, 19, 24],
      [15, 10, 24, 19],
      [19, 24, 10, 255],
      [24, 19, 255, 10],
    ])
  })

  it('clamps to 11 when remote memory is faster than local, and gives 255 when unreachable', () => {
    // g0's HBM from s0: 50 + 0 = 50 ns against 110 local: 10 × 50/110 = 4.5 → clamped to 11.
    // c0 is not linked: s0 cannot reach it.
    const a = analyzeTopology(
      topology(
        [socket('s0'), gpu('g0', true, memory(50, 3000)), cxl('c0')],
        [link('s0', 'g0', 0, 900)],
      ),
    )
    expect(a.distance).toEqual([
      [10, 11, 255],
      [11, 10, 255],
      [255, 255, 10],
    ])
  })

  it('rounds half up and clamps to 254 for very slow memory', () => {
    // 10 × 165/110 = 15 exactly; 10 × 137.5/110 = 12.5 → 13; 10 × 3000/110 = 272.7 → 254.
    const a = analyzeTopology(
      topology(
        [socket('s0'), cxl('c0', memory(137.5, 36)), cxl('c1', memory(3000, 1))],
        [link('s0', 'c0', 0, 32), link('s0', 'c1', 0, 32)],
      ),
    )
    expect(a.distance[0]).toEqual([10, 13, 254])
  })
})
