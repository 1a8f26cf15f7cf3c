import type { AccessCoordinate, AnalysedNode, TopologyAnalysis } from '../../../shared/analysis'
import type { Topology } from '../../../shared/formats/topology'
import { gibToBytes } from '../../../shared/units'
import { accessCoordinates } from './access'
import {
  MEMTIER_CHUNK_BITS,
  NO_PERFORMANCE,
  nodeAdistance,
  setDefaultDramPerf,
  tierOf,
} from './adistance'
import { demotionTargets } from './demotion'
import { distanceMatrix } from './distances'
import { applyMeasuredAccess } from './measured'
import { listInitiators, numberNodes } from './numbering'
import { computePaths } from './paths'
import { buildTiers, topTierAdistance } from './tiers'
import { topologyWarnings } from './warnings'

export { computePaths, bandwidthOfLink } from './paths'
export type { TopologyPaths } from './paths'
export { numberNodes, listInitiators } from './numbering'
export {
  MEMTIER_ADISTANCE_DRAM,
  MEMTIER_DEFAULT_DAX_ADISTANCE,
  MEMTIER_CHUNK_BITS,
  mtPerfToAdistance,
} from './adistance'

/**
 * Topology analysis as Linux would compute it (DESIGN.md §2): NUMA numbering, best paths, HMAT-like
 * access0/access1, abstract distances and memory tiers (mm/memory-tiers.c), a SLIT-like distance
 * table, demotion targets and warnings. `topology` must already be parsed by its zod schema.
 */
export function analyzeTopology(topology: Topology): TopologyAnalysis {
  const numa = numberNodes(topology)
  const initiators = listInitiators(topology, numa)
  const { paths, links } = computePaths(topology)
  // A machine's own HMAT/SLIT (imported) win over what the drawn paths give.
  const access = applyMeasuredAccess(topology, numa, accessCoordinates(numa, initiators, paths))

  // What the kernel holds: nothing for memory whose firmware reports no HMAT/CDAT data.
  const kernelAccess1: (AccessCoordinate | null)[] = numa.map((n, i) =>
    n.component.memory.reportsPerformance ? access[i].access1 : NO_PERFORMANCE,
  )
  const dram = setDefaultDramPerf(numa, kernelAccess1)
  const adist = numa.map((n) => nodeAdistance(n, kernelAccess1[n.node], dram))

  const tiers = buildTiers(numa.map((n) => ({ ...n, adistance: adist[n.node].adistance })))
  const hasCpu = (node: number) => numa[node].hasCpu
  const topTier = topTierAdistance(tiers, hasCpu)
  const distance = topology.measured?.distance ?? distanceMatrix(numa, paths)
  const memoryNodes = numa.filter((n) => n.hasMemory).map((n) => n.node)
  const demotion = demotionTargets({ memoryNodes, hasCpu, distance, tiers })

  const nodes: AnalysedNode[] = numa.map((n) => {
    const a = adist[n.node].adistance
    const tier = tierOf(a)
    return {
      node: n.node,
      component: n.component.id,
      kind: n.component.kind,
      cpus: n.component.kind === 'socket' ? n.component.cores : 0,
      capacityBytes: gibToBytes(n.component.memory.capacityGiB),
      media: n.component.memory.media,
      access0: access[n.node].access0,
      access1: access[n.node].access1,
      adistance: a,
      tier,
      // node_is_toptier(): a node without a memory tier (no memory) counts as top tier.
      topTier: !n.hasMemory || tier << MEMTIER_CHUNK_BITS <= topTier,
      adistanceSource: adist[n.node].source,
      hasMemory: n.hasMemory,
      performanceReported: n.component.memory.reportsPerformance,
    }
  })

  return {
    nodes,
    initiators,
    paths,
    links,
    distance,
    tiers,
    topTierAdistance: topTier,
    demotionTargets: demotion.preferred,
    demotionFallback: demotion.fallback,
    dramReference: dram.reference,
    dramReferenceNode: dram.referenceNode,
    warnings: topologyWarnings({ topology, nodes, tiers, links, dram }),
  }
}
