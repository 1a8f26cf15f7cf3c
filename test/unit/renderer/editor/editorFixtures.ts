import { createApp } from 'vue'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { TopologyAnalysis } from '../../../../shared/analysis'
import type { Topology } from '../../../../shared/formats'
import { createFakeClient, type FakeClient } from '../../../../renderer/src/api/fake-client'
import { provideClient } from '../../../../renderer/src/api/provide'
import type { EditorDocument } from '../../../../renderer/src/features/editor/model/editorDocument'

const ddr5 = (capacityGiB: number) => ({
  capacityGiB,
  media: 'DDR5',
  readLatencyNs: 110,
  writeLatencyNs: 110,
  readBandwidthGBps: 300,
  writeBandwidthGBps: 300,
})

/** s0 and s1 over UPI, c0 behind s0 over CXL Gen5 x8. */
export function twoSocketsOneCxl(): EditorDocument {
  return {
    topology: {
      format: 'tierlab.topology/v1',
      name: '2S + CXL',
      components: [
        { id: 's0', kind: 'socket', cores: 8, memory: ddr5(64) },
        { id: 's1', kind: 'socket', cores: 8, memory: ddr5(64) },
        { id: 'c0', kind: 'cxl-memory', memory: { ...ddr5(256), readLatencyNs: 170 } },
      ],
      links: [
        { a: 's0', b: 's1', kind: 'upi', latencyNs: 54, bandwidthGBps: 55.7 },
        { a: 's0', b: 'c0', kind: 'cxl', generation: 5, lanes: 8, latencyNs: 70 },
      ],
    },
    positions: { s0: { x: 0, y: 0 }, s1: { x: 400, y: 0 }, c0: { x: 0, y: 300 } },
  }
}

/** An analysis shaped like the engine's for twoSocketsOneCxl: DRAM tier 4, CXL tier 7. */
export function analysisOf(topology: Topology): TopologyAnalysis {
  const memoryNodes = topology.components.filter((c) => 'memory' in c)
  const sockets = memoryNodes.filter((c) => c.kind === 'socket')
  const others = memoryNodes.filter((c) => c.kind !== 'socket')
  const ordered = [...sockets, ...others]
  const nodes = ordered.map((c, node) => ({
    node,
    component: c.id,
    kind: c.kind,
    cpus: c.kind === 'socket' ? c.cores : 0,
    capacityBytes: ('memory' in c ? c.memory.capacityGiB : 0) * 1024 ** 3,
    media: 'memory' in c ? c.memory.media : '',
    access0: null,
    access1: null,
    adistance: c.kind === 'socket' ? 576 : 1000,
    // 576 >> 7 = 4, 1000 >> 7 = 7
    tier: c.kind === 'socket' ? 4 : 7,
    topTier: c.kind === 'socket',
    adistanceSource: 'performance' as const,
    hasMemory: true,
    performanceReported: true,
  }))
  const slow = nodes.filter((n) => n.tier === 7).map((n) => n.node)
  return {
    nodes,
    initiators: [],
    paths: [],
    links: [],
    distance: nodes.map((a) => nodes.map((b) => (a.node === b.node ? 10 : 20))),
    tiers: [
      { tier: 4, adistanceStart: 512, nodes: nodes.filter((n) => n.tier === 4).map((n) => n.node) },
      ...(slow.length ? [{ tier: 7, adistanceStart: 896, nodes: slow }] : []),
    ],
    topTierAdistance: 639,
    demotionTargets: Object.fromEntries(
      nodes.map((n) => [String(n.node), n.tier === 4 ? slow : []]),
    ),
    demotionFallback: {},
    dramReference: null,
    dramReferenceNode: null,
    warnings: [],
  }
}

/** A Pinia bound to an app that provides a fake client whose analysis is analysisOf(). */
export function setupEditorStores(): { client: FakeClient; pinia: Pinia } {
  const client = createFakeClient({
    analyze: (topology) => ({ ok: true, topology, analysis: analysisOf(topology) }),
  })
  const app = createApp({})
  provideClient(app, client)
  const pinia = createPinia()
  app.use(pinia)
  setActivePinia(pinia)
  return { client, pinia }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0))
}
