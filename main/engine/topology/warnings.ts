import type {
  AnalysedLink,
  AnalysedNode,
  AnalysedTier,
  TopologyWarning,
} from '../../../shared/analysis'
import type { MemoryComponent, Topology } from '../../../shared/formats/topology'
import type { DramReference } from './adistance'

export interface WarningInput {
  topology: Topology
  nodes: AnalysedNode[]
  tiers: AnalysedTier[]
  links: AnalysedLink[]
  dram: DramReference
}

const list = (ids: string[]) => ids.map((id) => `"${id}"`).join(', ')

/** Each warning is one sentence: what follows for the kernel or the run, and what to change. */
export function topologyWarnings(input: WarningInput): TopologyWarning[] {
  const { topology, nodes, tiers, links, dram } = input
  const out: TopologyWarning[] = []
  const componentOf = (node: number) => nodes[node].component
  const memoryNodes = nodes.filter((n) => n.hasMemory)

  if (memoryNodes.length > 1 && tiers.length === 1) {
    out.push({
      code: 'single-tier',
      message: `All memory is in one tier (memory_tier${tiers[0].tier}), so the kernel will never promote or demote; give the slower memory worse latency or bandwidth, or let its firmware report performance, to split the tiers.`,
      components: memoryNodes.map((n) => n.component),
    })
  }

  const unreachable = memoryNodes.filter((n) => n.access1 === null).map((n) => n.component)
  if (unreachable.length > 0) {
    out.push({
      code: 'unreachable-memory',
      message: `No CPU can reach the memory of ${list(unreachable)}, so the kernel has no access1 data for it and only GPUs (if any) can use it; link it to a socket or a switch on a socket's path.`,
      components: unreachable,
    })
  }

  if (topology.components.length > 1) {
    const linked = new Set(topology.links.flatMap((l) => [l.a, l.b]))
    const isolated = topology.components.filter((c) => !linked.has(c.id)).map((c) => c.id)
    if (isolated.length > 0) {
      out.push({
        code: 'isolated-component',
        message: `${list(isolated)} ${isolated.length > 1 ? 'have' : 'has'} no links, so nothing else can reach ${isolated.length > 1 ? 'them' : 'it'}; add a link to a socket or a switch.`,
        components: isolated,
      })
    }
  }

  for (const c of topology.components) {
    if ('memory' in c && (c as MemoryComponent).memory.capacityGiB === 0) {
      out.push({
        code: 'zero-capacity',
        message: `"${c.id}" has 0 GiB, so the kernel onlines no memory there: it is in no tier and never a demotion target; give it a capacity or remove it.`,
        components: [c.id],
      })
    }
  }

  for (const c of topology.components) {
    if (c.kind === 'gpu' && !c.coherent) {
      out.push({
        code: 'gpu-not-coherent',
        message: `GPU "${c.id}" is not coherent, so its memory is device-private: not a NUMA node, invisible to tiering and reachable only by the GPU itself; set "coherent": true to expose it as a CPU-less node.`,
        components: [c.id],
      })
    }
  }

  if (dram.outcome === 'mismatch' && dram.culprit !== null && dram.referenceNode !== null) {
    const a = componentOf(dram.referenceNode)
    const b = componentOf(dram.culprit)
    out.push({
      code: 'dram-perf-mismatch',
      message: `The DRAM of "${b}" differs from the reference DRAM of "${a}" by more than 10 %, so the kernel disables performance-based tiers and every node falls back to its default abstract distance; make the sockets' DRAM match within 10 %.`,
      components: [a, b],
    })
  }

  const silent = nodes.filter((n) => !n.performanceReported).map((n) => n.component)
  if (silent.length > 0) {
    const dramSilent = dram.outcome === 'no-data' && dram.culprit !== null
    const consequence = dramSilent
      ? `the DRAM reference cannot be checked, so the HMAT notifier is not registered and socket and GPU memory keep the default 576 while CXL memory is placed only if an earlier DRAM node set a reference`
      : `the kernel places it by its default abstract distance (576 for boot memory, 2880 for CXL memory onlined by dax/kmem)`
    out.push({
      code: 'no-performance-data',
      message: `Firmware reports no performance data for ${list(silent)}, so ${consequence}; set memory.reportsPerformance to true to model firmware with HMAT/CDAT data.`,
      components: silent,
    })
  }

  // A shared upstream link caps the sum of what crosses it ([CXL-AC]): several CPU-less memory
  // nodes behind one link, seen from the CPUs' side, that together could move more than the link.
  const isSocket = new Set(topology.components.filter((c) => c.kind === 'socket').map((c) => c.id))
  for (const l of links) {
    for (const side of [l.a, l.b]) {
      const behind = [
        ...new Set(
          l.crossings
            .filter((c) => c.from === side && isSocket.has(c.initiator))
            .map((c) => c.node)
            .filter((n) => nodes[n].cpus === 0 && nodes[n].hasMemory),
        ),
      ].sort((x, y) => x - y)
      if (behind.length < 2) continue
      const devices = behind.map((n) => memoryOf(topology, componentOf(n)))
      const readGBps = devices.reduce((s, m) => s + m.readBandwidthGBps, 0)
      const writeGBps = devices.reduce((s, m) => s + m.writeBandwidthGBps, 0)
      const deviceGBps = Math.max(readGBps, writeGBps)
      if (deviceGBps <= l.bandwidthGBps + 1e-9) continue
      const ids = behind.map(componentOf)
      out.push({
        code: 'shared-upstream-link',
        message: `The ${l.kind} link ${l.a}–${l.b} (${round1(l.bandwidthGBps)} GB/s per direction) is shared by ${list(ids)}, whose devices together move ${round1(deviceGBps)} GB/s, so under load each gets only a share of the link; widen the link or give the devices separate links.`,
        components: [...new Set([l.a, l.b, ...ids])],
      })
    }
  }
  return out
}

function memoryOf(topology: Topology, id: string) {
  return (topology.components.find((c) => c.id === id) as MemoryComponent).memory
}

function round1(x: number): string {
  return (Math.round(x * 10) / 10).toString()
}
