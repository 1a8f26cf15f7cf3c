import type { TopologyAnalysis } from '../../../shared/analysis'
import type { Memory, Topology } from '../../../shared/formats/topology'
import type { Watermarks } from '../vocabulary'
import { addDevicePrivateNodes } from './device-private'
import { latencyCurveOf, type LatencyCurve } from './latency-curve'
import { nodeWatermarks } from './watermarks'

/**
 * The machine as the simulation uses it: per node capacity, device latency, peak bandwidth,
 * loaded-latency curve, watermarks and tier; per (initiator, node) the idle path latency and the
 * links crossed with their direction. Built once per run from the topology analysis.
 */

export interface SimNode {
  node: number
  component: string
  kind: string
  capacityBytes: number
  capacityFrames: number
  topTier: boolean
  /** 0 = top tier, 1 = next slower tier, … */
  tierOrdinal: number
  tier: number
  deviceReadNs: number
  deviceWriteNs: number
  /** Peak bandwidth, bytes/s. */
  peakReadBytesPerS: number
  peakWriteBytesPerS: number
  curve: LatencyCurve
  watermarks: Watermarks
  demotionTargets: number[]
  demotionFallback: number[]
  /** Nearest node with CPUs: where kernel threads working for this node run. */
  cpuNode: number
  /** Nodes to try for an allocation whose local node is this one: itself, then by distance. */
  fallbackOrder: number[]
}

export interface SimPath {
  readNs: number
  writeNs: number
  /** Links crossed, as indices into machine.links. */
  links: Int32Array
  /** Per link crossed: direction index (0 = a→b, 1 = b→a) of write data; reads use the other. */
  writeDir: Uint8Array
  /**
   * Per link crossed: the share of the accesses that cross it (a process whose threads sit on
   * several sockets, sim/threads.ts); absent: all of them.
   */
  linkShare?: Float64Array
}

export interface SimInitiator {
  component: string
  kind: 'socket' | 'gpu'
  /** Its own memory's node (a non-coherent GPU's device-private node, sim/device-private.ts). */
  node: number | null
  cores: number
  /** Local allocation node: own node, or the nearest CPU node for a non-coherent GPU. */
  homeNode: number
}

export interface SimLink {
  bandwidthBytesPerS: number
  latencyNs: number
}

export interface Machine {
  nodes: SimNode[]
  links: SimLink[]
  initiators: SimInitiator[]
  initiatorIndex: Map<string, number>
  /** paths[initiator * nodes + node], null when unreachable. */
  paths: Array<SimPath | null>
  topTierNodes: number[]
  tierIds: number[]
  pageBytes: number
}

/** A node that no path reaches still holds pages someone may touch; charge a PCIe-ish round trip. */
export const UNREACHABLE_LATENCY_NS = 5000

export function buildMachine(
  topology: Topology,
  analysis: TopologyAnalysis,
  pageBytes: number,
): Machine {
  const byId = new Map(topology.components.map((c) => [c.id, c]))
  const memoryOf = (id: string): Memory => (byId.get(id) as { memory: Memory }).memory
  const tierIds = [...new Set(analysis.nodes.filter((n) => n.hasMemory).map((n) => n.tier))].sort(
    (a, b) => a - b,
  )
  const topTierIds = new Set(
    analysis.nodes.filter((n) => n.topTier && n.hasMemory).map((n) => n.tier),
  )
  const ordinalOfTier = new Map<number, number>()
  // Top-tier nodes share ordinal 0 even when an HBM tier is faster than DRAM (both are toptier).
  let ord = topTierIds.size > 0 ? 1 : 0
  for (const t of tierIds) ordinalOfTier.set(t, topTierIds.has(t) ? 0 : ord++)
  const capacities = analysis.nodes.map((n) => n.capacityBytes)
  const wms = nodeWatermarks(capacities)
  const cpuNodes = analysis.nodes.filter((n) => n.kind === 'socket').map((n) => n.node)
  const nearestCpu = (node: number): number => {
    let best = cpuNodes[0] ?? 0
    for (const c of cpuNodes)
      if (analysis.distance[node][c] < analysis.distance[node][best]) best = c
    return best
  }
  const nodes: SimNode[] = analysis.nodes.map((n) => {
    const mem = memoryOf(n.component)
    const order = analysis.nodes
      .filter((m) => m.hasMemory)
      .map((m) => m.node)
      .sort((a, b) => analysis.distance[n.node][a] - analysis.distance[n.node][b] || a - b)
    return {
      node: n.node,
      component: n.component,
      kind: n.kind,
      capacityBytes: n.capacityBytes,
      capacityFrames: Math.floor(n.capacityBytes / pageBytes),
      topTier: n.topTier,
      tierOrdinal: ordinalOfTier.get(n.tier) ?? 0,
      tier: n.tier,
      deviceReadNs: mem.readLatencyNs,
      deviceWriteNs: mem.writeLatencyNs,
      peakReadBytesPerS: mem.readBandwidthGBps * 1e9,
      peakWriteBytesPerS: mem.writeBandwidthGBps * 1e9,
      curve: latencyCurveOf(mem),
      watermarks: wms[n.node],
      demotionTargets: analysis.demotionTargets[String(n.node)] ?? [],
      demotionFallback: analysis.demotionFallback[String(n.node)] ?? [],
      cpuNode: n.kind === 'socket' ? n.node : nearestCpu(n.node),
      fallbackOrder: order,
    }
  })
  const links: SimLink[] = analysis.links.map((l) => ({
    bandwidthBytesPerS: l.bandwidthGBps * 1e9,
    latencyNs: l.latencyNs,
  }))
  const N = nodes.length
  const initiators: SimInitiator[] = analysis.initiators.map((i) => {
    const c = byId.get(i.component)
    const cores = c?.kind === 'socket' ? c.cores : 0
    let home = i.node
    if (home === null) {
      // A non-coherent GPU has no node: its process allocates on the nearest CPU node.
      let best = -1
      let bestNs = Infinity
      for (const p of analysis.paths) {
        if (p.initiator !== i.component || !cpuNodes.includes(p.node)) continue
        if (p.readLatencyNs < bestNs) {
          bestNs = p.readLatencyNs
          best = p.node
        }
      }
      home = best >= 0 ? best : (cpuNodes[0] ?? 0)
    }
    return { component: i.component, kind: i.kind, node: i.node, cores, homeNode: home }
  })
  const initiatorIndex = new Map(initiators.map((i, k) => [i.component, k]))
  const paths: Array<SimPath | null> = new Array(initiators.length * N).fill(null)
  const topoLinks = topology.links
  for (const p of analysis.paths) {
    const k = initiatorIndex.get(p.initiator)
    if (k === undefined) continue
    const writeDir = new Uint8Array(p.links.length)
    p.links.forEach((li, h) => {
      writeDir[h] = topoLinks[li].a === p.hops[h] ? 0 : 1
    })
    paths[k * N + p.node] = {
      readNs: p.readLatencyNs,
      writeNs: p.writeLatencyNs,
      links: Int32Array.from(p.links),
      writeDir,
    }
  }
  const machine: Machine = {
    nodes,
    links,
    initiators,
    initiatorIndex,
    paths,
    topTierNodes: nodes.filter((n) => n.topTier && n.capacityBytes > 0).map((n) => n.node),
    tierIds,
    pageBytes,
  }
  addDevicePrivateNodes(machine, topology)
  return machine
}
