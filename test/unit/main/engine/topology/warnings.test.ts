import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import type { TopologyAnalysis } from '../../../../../shared/analysis'
import { cxl, cxlSwitch, gen5, gpu, link, memory, socket, topology, upi } from './build'

const codes = (a: TopologyAnalysis) => a.warnings.map((w) => w.code).sort()
const warning = (a: TopologyAnalysis, code: string) => a.warnings.find((w) => w.code === code)

describe('topology warnings', () => {
  it('gives no warning for a plain socket with a CXL expander', () => {
    const a = analyzeTopology(topology([socket('s0'), cxl('c0')], [gen5('s0', 'c0', 8, 70)]))
    expect(a.warnings).toEqual([])
  })

  it('warns when all memory sits in one tier', () => {
    // c0 from s0: 50 + 60 = 110 ns, 300 GB/s: the same as DRAM → 576, tier 4 with it.
    const a = analyzeTopology(
      topology([socket('s0'), cxl('c0', memory(50, 300))], [link('s0', 'c0', 60, 300)]),
    )
    expect(a.nodes[1].adistance).toBe(576)
    expect(codes(a)).toEqual(['single-tier'])
    expect(warning(a, 'single-tier')?.message).toMatch(/never promote or demote/)
    expect(warning(a, 'single-tier')?.components).toEqual(['s0', 'c0'])
  })

  it('warns about memory no CPU reaches and about a component without links', () => {
    const a = analyzeTopology(topology([socket('s0'), cxl('c0')]))
    expect(codes(a)).toEqual(['isolated-component', 'unreachable-memory'])
    expect(warning(a, 'unreachable-memory')?.components).toEqual(['c0'])
    expect(warning(a, 'isolated-component')?.components).toEqual(['s0', 'c0'])
    // No CPU data: the expander keeps the dax/kmem default.
    expect(a.nodes[1]).toMatchObject({ access1: null, adistance: 2880 })
  })

  it('does not call a lone component isolated', () => {
    expect(analyzeTopology(topology([socket('s0')])).warnings).toEqual([])
  })

  it('warns about zero capacity', () => {
    const a = analyzeTopology(
      topology(
        [socket('s0'), cxl('c0', memory(140, 36, { capacityGiB: 0 }))],
        [gen5('s0', 'c0', 8, 70)],
      ),
    )
    expect(codes(a)).toEqual(['zero-capacity'])
    expect(warning(a, 'zero-capacity')?.components).toEqual(['c0'])
  })

  it('warns about a GPU whose memory is not coherent', () => {
    const a = analyzeTopology(
      topology([socket('s0'), gpu('g0', false)], [link('s0', 'g0', 100, 64)]),
    )
    expect(codes(a)).toEqual(['gpu-not-coherent'])
    expect(a.nodes).toHaveLength(1)
    expect(a.initiators[1]).toEqual({ component: 'g0', kind: 'gpu', node: null })
    expect(a.paths.filter((p) => p.initiator === 'g0').map((p) => p.node)).toEqual([0])
  })

  it('warns when the DRAM nodes disagree by more than 10 %', () => {
    const a = analyzeTopology(
      topology(
        [socket('s0'), socket('s1', memory(110, 260)), cxl('c0')],
        [upi('s0', 's1', 55, 60), gen5('s0', 'c0', 8, 70)],
      ),
    )
    // |260000 − 300000| × 10 = 400000 > 300000.
    expect(codes(a)).toEqual(['dram-perf-mismatch'])
    expect(warning(a, 'dram-perf-mismatch')?.message).toMatch(/more than 10 %/)
  })

  it('warns about memory without performance data', () => {
    const a = analyzeTopology(
      topology(
        [socket('s0'), cxl('c0', memory(140, 36, { reportsPerformance: false }))],
        [gen5('s0', 'c0', 8, 70)],
      ),
    )
    expect(codes(a)).toEqual(['no-performance-data'])
    expect(warning(a, 'no-performance-data')?.components).toEqual(['c0'])
  })

  it('warns when expanders behind one upstream link could move more than the link', () => {
    // Two 36 GB/s expanders behind a switch on one Gen5 x8 (31.5 GB/s) link: 72 > 31.5.
    const topo = topology(
      [socket('s0'), cxlSwitch('sw0', 70), cxl('c0'), cxl('c1')],
      [gen5('s0', 'sw0', 8, 40), gen5('sw0', 'c0', 8, 30), gen5('sw0', 'c1', 8, 30)],
    )
    const a = analyzeTopology(topo)
    expect(codes(a)).toEqual(['shared-upstream-link'])
    expect(warning(a, 'shared-upstream-link')?.components).toEqual(['s0', 'sw0', 'c0', 'c1'])
    expect(warning(a, 'shared-upstream-link')?.message).toMatch(/72 GB\/s/)
    // The engine reads who shares the upstream link from the links table.
    expect(a.links[0].nodes).toEqual([1, 2])
    // An x16 upstream link (63 GB/s) still cannot carry 72 GB/s; two 20 GB/s devices fit.
    const small = topology(
      [socket('s0'), cxlSwitch('sw0', 70), cxl('c0', memory(140, 20)), cxl('c1', memory(140, 20))],
      [gen5('s0', 'sw0', 16, 40), gen5('sw0', 'c0', 8, 30), gen5('sw0', 'c1', 8, 30)],
    )
    expect(analyzeTopology(small).warnings).toEqual([])
  })
})
