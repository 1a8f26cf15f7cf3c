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
  warnings: TopologyWarning[]
}
