import type { AnalysedNode, TopologyAnalysis } from '../../../../shared/analysis'
import type { AnalyzeResult, TopologyPreset } from '../../../../shared/api/contract'
import type { Topology } from '../../../../shared/formats/topology'

/** Two sockets with DDR5 and one CXL expander behind socket 0, as a topology file writes it. */
export const twoSocketCxl = {
  format: 'tierlab.topology/v1',
  name: '2S + CXL',
  components: [
    {
      id: 's0',
      kind: 'socket',
      cores: 32,
      memory: {
        capacityGiB: 128,
        media: 'DDR5',
        readLatencyNs: 110,
        writeLatencyNs: 110,
        readBandwidthGBps: 200,
        writeBandwidthGBps: 200,
      },
    },
    {
      id: 's1',
      kind: 'socket',
      cores: 32,
      memory: {
        capacityGiB: 128,
        media: 'DDR5',
        readLatencyNs: 110,
        writeLatencyNs: 110,
        readBandwidthGBps: 200,
        writeBandwidthGBps: 200,
      },
    },
    {
      id: 'c0',
      kind: 'cxl-memory',
      memory: {
        capacityGiB: 256,
        media: 'DDR5',
        readLatencyNs: 170,
        writeLatencyNs: 170,
        readBandwidthGBps: 30,
        writeBandwidthGBps: 30,
      },
    },
  ],
  links: [
    { a: 's0', b: 's1', kind: 'upi', latencyNs: 60, bandwidthGBps: 60 },
    { a: 's0', b: 'c0', kind: 'cxl', generation: 5, lanes: 8, latencyNs: 70 },
  ],
} as unknown as Topology

const GiB = 1024 ** 3
const local = {
  readLatencyNs: 110,
  writeLatencyNs: 110,
  readBandwidthMBps: 200_000,
  writeBandwidthMBps: 200_000,
}
// CXL from s0: 170 ns device + 70 ns link = 240 ns; bandwidth min(30 GB/s device, 31.5 GB/s link).
const cxl = {
  readLatencyNs: 240,
  writeLatencyNs: 240,
  readBandwidthMBps: 30_000,
  writeBandwidthMBps: 30_000,
}

/** A socket's DRAM node: 32 CPUs, 128 GiB, at the kernel's DRAM adistance 576. */
function dramNode(node: number, component: string): AnalysedNode {
  return {
    node,
    component,
    kind: 'socket',
    cpus: 32,
    capacityBytes: 128 * GiB,
    media: 'DDR5',
    access0: local,
    access1: local,
    adistance: 576,
    tier: 4,
    topTier: true,
    adistanceSource: 'dram-default',
    hasMemory: true,
    performanceReported: true,
  }
}

/**
 * A canned analysis of `twoSocketCxl` (the renderer shows it; main/engine computes the real one).
 * Tiers: DRAM at adistance 576 → tier 576 >> 7 = 4 (nodes 0, 1); CXL at 1000 → 1000 >> 7 = 7.
 */
export const twoSocketCxlAnalysis: TopologyAnalysis = {
  nodes: [
    dramNode(0, 's0'),
    dramNode(1, 's1'),
    {
      ...dramNode(2, 'c0'),
      kind: 'cxl-memory',
      cpus: 0,
      capacityBytes: 256 * GiB,
      access0: cxl,
      access1: cxl,
      adistance: 1000,
      tier: 7,
      topTier: false,
      adistanceSource: 'performance',
    },
  ],
  initiators: [
    { component: 's0', kind: 'socket', node: 0 },
    { component: 's1', kind: 'socket', node: 1 },
  ],
  paths: [],
  links: [],
  distance: [
    [10, 21, 24],
    [21, 10, 32],
    [24, 32, 10],
  ],
  tiers: [
    { tier: 4, adistanceStart: 512, nodes: [0, 1] },
    { tier: 7, adistanceStart: 896, nodes: [2] },
  ],
  topTierAdistance: 639,
  demotionTargets: { '0': [2], '1': [2], '2': [] },
  demotionFallback: { '0': [2], '1': [2], '2': [] },
  dramReference: local,
  dramReferenceNode: 0,
  warnings: [
    {
      code: 'shared-upstream-link',
      message: 'Node 1 reaches c0 across the UPI link.',
      components: ['s1', 'c0'],
    },
  ],
}

export const presets: TopologyPreset[] = [
  {
    id: '2s-cxl',
    name: '2S + CXL',
    description: 'Two sockets and a CXL expander.',
    source: 'test',
    topology: twoSocketCxl,
  },
  {
    id: '1s',
    name: 'One socket',
    description: 'A single socket.',
    source: 'test',
    topology: {
      ...twoSocketCxl,
      name: 'One socket',
      components: [twoSocketCxl.components[0]],
      links: [],
    },
  },
]

/** Answers every analysis with the canned one, renamed after the topology asked about. */
export function cannedAnalyze(topology: Topology): AnalyzeResult {
  return { ok: true, topology, analysis: twoSocketCxlAnalysis }
}
