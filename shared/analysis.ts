import type { ComponentKind } from './formats/topology'

/**
 * The result of topology analysis (DESIGN.md §2), as `tierlab analyze --json` prints it (§8).
 * Latency in ns, bandwidth in MB/s (decimal, as the kernel's HMAT/sysfs values), capacity in bytes.
 */
export interface AccessCoordinate {
  readLatencyNs: number
  writeLatencyNs: number
  readBandwidthMBps: number
  writeBandwidthMBps: number
}

export interface AnalysedNode {
  /** NUMA node id: sockets in file order, then the other memory-bearing components in file order. */
  node: number
  /** Component id in the topology file. */
  component: string
  kind: ComponentKind
  /** CPU cores local to this node (0 for memory-only nodes). */
  cpus: number
  capacityBytes: number
  media: string
  /** Best performance from any initiator (CPU or GPU), as HMAT access0. */
  access0: AccessCoordinate | null
  /** Best performance from any CPU, as HMAT access1; null when no CPU reaches the node. */
  access1: AccessCoordinate | null
  /** Abstract distance as the kernel computes it (mm/memory-tiers.c). */
  adistance: number
  /** Memory tier id: adistance >> 7. */
  tier: number
  /** Whether the kernel counts the node as top tier (never promoted from). */
  topTier: boolean
  /** How the adistance was obtained. */
  adistanceSource: 'performance' | 'dram-default' | 'dax-default'
  /**
   * False for a zero-capacity component: the kernel onlines no memory there (not N_MEMORY), so the
   * node is in no tier and never a demotion target; adistance/tier then say where it would go.
   */
  hasMemory: boolean
  /**
   * False when firmware reports no HMAT/CDAT data for this memory (memory.reportsPerformance). The
   * kernel then sees zeros; access0/access1 above still give what the hardware does.
   */
  performanceReported: boolean
}

/** An initiator (socket or GPU) of the topology. */
export interface AnalysedInitiator {
  component: string
  kind: 'socket' | 'gpu'
  /** Its local NUMA node, or null (a GPU whose memory is not coherent). */
  node: number | null
}

/** Best path from an initiator to a node. */
export interface AnalysedPath {
  initiator: string
  node: number
  /** Component ids from the initiator to the memory's component. */
  hops: string[]
  /** Indices into topology.links of the links traversed, in order. */
  links: number[]
  readLatencyNs: number
  writeLatencyNs: number
  readBandwidthMBps: number
  writeBandwidthMBps: number
}

/** One best path crossing a link. */
export interface LinkCrossing {
  initiator: string
  node: number
  /** The link end on the initiator's side (requests leave from it, read data returns to it). */
  from: string
}

/**
 * A link and the best paths that cross it: the engine shares the link's bandwidth per direction
 * among them (a shared upstream link caps the sum of what crosses it, tiering-facts.md §1 [CXL-AC]).
 */
export interface AnalysedLink {
  /** Index into topology.links. */
  link: number
  a: string
  b: string
  kind: string
  latencyNs: number
  /** Per direction: bandwidthGBps as written, or derived from generation and lanes. */
  bandwidthGBps: number
  crossings: LinkCrossing[]
  /** The distinct nodes whose best paths cross the link, ascending. */
  nodes: number[]
}

export interface AnalysedTier {
  /** Tier id (smaller is faster), as /sys/devices/virtual/memory_tiering/memory_tierN. */
  tier: number
  /** First abstract distance of the tier: tier << 7. */
  adistanceStart: number
  nodes: number[]
}

export interface TopologyWarning {
  code:
    | 'single-tier'
    | 'unreachable-memory'
    | 'isolated-component'
    | 'zero-capacity'
    | 'gpu-not-coherent'
    | 'dram-perf-mismatch'
    | 'no-performance-data'
    | 'shared-upstream-link'
  message: string
  /** Component ids the warning is about. */
  components: string[]
}

export interface TopologyAnalysis {
  nodes: AnalysedNode[]
  initiators: AnalysedInitiator[]
  paths: AnalysedPath[]
  /** Every link of the topology, in file order, with the best paths that cross it. */
  links: AnalysedLink[]
  /** SLIT-like distance matrix, indexed by node id (10 = local). */
  distance: number[][]
  tiers: AnalysedTier[]
  /** Abstract distances at or below this are top tier (kernel's top_tier_adistance). */
  topTierAdistance: number
  /** Preferred demotion targets per node: nodes of the next lower tier at minimum distance. */
  demotionTargets: Record<string, number[]>
  /** Fallback demotion targets per node: all nodes in slower tiers (kernel lower_tier_mask). */
  demotionFallback: Record<string, number[]>
  /** The DRAM reference the kernel used (access1 of the first CPU node), or null. */
  dramReference: AccessCoordinate | null
  /** The node whose access1 became the DRAM reference, or null. */
  dramReferenceNode: number | null
  warnings: TopologyWarning[]
}
