import { describe, expect, it } from 'vitest'
import type { Topology } from '../../../../shared/formats'
import {
  linkIndexOfEdge,
  positionsFromNodes,
  toFlowEdges,
  toFlowNodes,
} from '../../../../renderer/src/features/editor/model/flowConversion'
import { demotionArcPath } from '../../../../renderer/src/features/editor/model/demotionArc'
import { analysisOf, twoSocketsOneCxl } from './editorFixtures'

describe('document → Vue Flow', () => {
  it('makes one node per component, typed by kind, at its side-map position', () => {
    const doc = twoSocketsOneCxl()
    const nodes = toFlowNodes(doc, null, { components: ['s1'], links: [] })
    const selected = (n: object) => (n as { selected?: boolean }).selected
    expect(nodes.map((n) => [n.id, n.type, n.position.x, n.position.y, selected(n)])).toEqual([
      ['s0', 'socket', 0, 0, false],
      ['s1', 'socket', 400, 0, true],
      ['c0', 'cxl-memory', 0, 300, false],
    ])
    expect(nodes[2].data?.component).toBe(doc.topology.components[2])
    expect(nodes[0].data?.badge).toBeNull()
  })

  it('puts NUMA node and tier badges from the analysis on the nodes', () => {
    const doc = twoSocketsOneCxl()
    const nodes = toFlowNodes(doc, analysisOf(doc.topology as Topology))
    // Sockets first in file order (nodes 0, 1), then c0 (node 2); tiers 576>>7=4, 1000>>7=7.
    expect(nodes.map((n) => [n.id, n.data?.badge?.node, n.data?.badge?.tier])).toEqual([
      ['s0', 0, 4],
      ['s1', 1, 4],
      ['c0', 2, 7],
    ])
  })

  it('labels link edges with latency and bandwidth, derived for CXL from generation × lanes', () => {
    const edges = toFlowEdges(twoSocketsOneCxl(), null)
    expect(edges.map((e) => [e.id, e.source, e.target])).toEqual([
      ['link:0', 's0', 's1'],
      ['link:1', 's0', 'c0'],
    ])
    expect(edges[0].label).toBe('UPI · 54 ns · 55.7 GB/s')
    // Gen5 x8: 8 × 32 GT/s × 128/130 ÷ 8 = 31.51 GB/s → "≈31.5"
    expect(edges[1].label).toBe('CXL 5 x8 · 70 ns · ≈31.5 GB/s')
    // s1 is right of s0, c0 below it: the edges leave from the facing sides.
    expect([edges[0].sourceHandle, edges[0].targetHandle]).toEqual(['right', 'left'])
    expect([edges[1].sourceHandle, edges[1].targetHandle]).toEqual(['bottom', 'top'])
  })

  it('draws demotion targets as dashed, unselectable arrows', () => {
    const doc = twoSocketsOneCxl()
    const edges = toFlowEdges(doc, analysisOf(doc.topology as Topology))
    const demotions = edges.filter((e) => e.data?.role === 'demotion')
    // Nodes 0 and 1 (DRAM) demote to node 2 (c0); c0 is the lowest tier.
    expect(demotions.map((e) => [e.id, e.source, e.target])).toEqual([
      ['demote:0:2', 's0', 'c0'],
      ['demote:1:2', 's1', 'c0'],
    ])
    expect(demotions[0].selectable).toBe(false)
    expect(demotions[0].style).toMatchObject({ strokeDasharray: '6 4' })
  })

  it('bows demotion arcs to one side of the straight link', () => {
    // (0,0) → (0,100): direction (0,1), normal (−1,0); control = midpoint (0,50) + 45·(−1,0).
    expect(demotionArcPath({ x: 0, y: 0 }, { x: 0, y: 100 })).toBe('M 0,0 Q -45,50 0,100')
  })

  it('leaves out links that name a missing component', () => {
    const doc = twoSocketsOneCxl()
    doc.topology.links.push({ a: 's0', b: 'ghost', kind: 'pcie', latencyNs: 1, bandwidthGBps: 1 })
    expect(toFlowEdges(doc, null).map((e) => e.id)).toEqual(['link:0', 'link:1'])
  })
})

describe('Vue Flow → document', () => {
  it('reads rounded positions back into the side map', () => {
    const out = positionsFromNodes([
      { id: 's0', position: { x: 10.4, y: 19.6 } },
      { id: 'c0', position: { x: -3, y: 0 } },
    ])
    expect(out).toEqual({ s0: { x: 10, y: 20 }, c0: { x: -3, y: 0 } })
  })

  it('maps edge ids back to link indices and ignores demotion arrows', () => {
    expect(linkIndexOfEdge('link:3')).toBe(3)
    expect(linkIndexOfEdge('demote:0:2')).toBeNull()
    expect(linkIndexOfEdge('link:x')).toBeNull()
  })

  it('round-trips: positions read from the nodes it made are the side map', () => {
    const doc = twoSocketsOneCxl()
    expect(positionsFromNodes(toFlowNodes(doc, null))).toEqual(doc.positions)
  })
})

describe('demotion arrows on large machines', () => {
  it('draws only the selected components’ arrows above the limit', () => {
    const doc = twoSocketsOneCxl()
    const analysis = analysisOf(doc.topology as Topology)
    // 30 fake targets from node 0 and 1 each → 60 arrows > DEMOTION_ARROW_LIMIT (24).
    analysis.demotionTargets = { '0': Array(30).fill(2), '1': Array(30).fill(2), '2': [] }
    const none = toFlowEdges(doc, analysis).filter((e) => e.data?.role === 'demotion')
    expect(none).toHaveLength(0)
    const fromS1 = toFlowEdges(doc, analysis, { components: ['s1'], links: [] }).filter(
      (e) => e.data?.role === 'demotion',
    )
    expect(fromS1).toHaveLength(30)
    expect(new Set(fromS1.map((e) => e.source))).toEqual(new Set(['s1']))
  })
})
