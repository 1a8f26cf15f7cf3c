import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { cxl, cxlSwitch, gpu, link, socket, topology } from './build'

describe('NUMA numbering', () => {
  it('numbers sockets first, then memory-bearing components in file order', () => {
    // File order: c0, g0 (coherent), s0, sw0, g1 (not coherent), s1, c1.
    // Sockets first: s0 → 0, s1 → 1; then c0 → 2, g0 → 3, c1 → 4. sw0 and g1 hold no node.
    const topo = topology(
      [
        cxl('c0'),
        gpu('g0', true),
        socket('s0'),
        cxlSwitch('sw0', 50),
        gpu('g1', false),
        socket('s1'),
        cxl('c1'),
      ],
      [
        link('s0', 'c0', 70, 32),
        link('s0', 'g0', 100, 450),
        link('s0', 'sw0', 40, 64),
        link('s0', 'g1', 100, 64),
        link('s1', 'c1', 70, 32),
        { a: 's0', b: 's1', kind: 'upi', latencyNs: 55, bandwidthGBps: 55.7 },
      ],
    )
    const a = analyzeTopology(topo)
    expect(a.nodes.map((n) => [n.node, n.component, n.cpus])).toEqual([
      [0, 's0', 8],
      [1, 's1', 8],
      [2, 'c0', 0],
      [3, 'g0', 0],
      [4, 'c1', 0],
    ])
    expect(a.initiators).toEqual([
      { component: 's0', kind: 'socket', node: 0 },
      { component: 's1', kind: 'socket', node: 1 },
      { component: 'g0', kind: 'gpu', node: 3 },
      { component: 'g1', kind: 'gpu', node: null },
    ])
    expect(a.distance).toHaveLength(5)
    // 64 GiB = 64 × 2^30 bytes.
    expect(a.nodes[2].capacityBytes).toBe(64 * 1073741824)
  })
})
