import type { MeasuredCoordinate } from '../../../shared/formats/topology'

/**
 * What the machine files say, before they become a topology. Each parser fills what its format
 * knows; `joinFacts` merges them (later files fill gaps, never overwrite a measured value).
 */

/** Memory kinds an import distinguishes; the topology builder picks component and defaults. */
export type MemoryKind = 'dram' | 'hbm' | 'cxl' | 'pmem' | 'gpu'

export interface NodeFacts {
  /** The machine's NUMA node id. */
  node: number
  /** Hardware threads on the node (N_CPU); 0 = CPU-less. */
  cpus?: number
  /** sysfs has_cpu lists the node, even where no file says how many CPUs it has. */
  hasCpu?: boolean
  capacityBytes?: number
  kind?: MemoryKind
  /** Media as the file names it (hwloc subtype, CXL region type). */
  media?: string
  access0?: MeasuredCoordinate
  access1?: MeasuredCoordinate
  /** CXL region(s) that became this node, with interleave. */
  cxl?: { region: string; interleaveWays: number; sizeBytes: number; memdevs: string[] }
  /** hwloc: the CPU node whose CPUs this CPU-less node is local to (used without a SLIT). */
  localTo?: number
  /** Kernel memory tier the node is in (sysfs memory_tiering), for the warning check. */
  kernelTier?: number
}

export interface MachineFacts {
  /** Which formats contributed, in order (for the topology's `source`). */
  sources: string[]
  nodes: Map<number, NodeFacts>
  /** SLIT: distance[i][j] between machine node ids nodeIds[i] and nodeIds[j]. */
  slit?: { nodeIds: number[]; matrix: number[][] }
  /** Kernel memory tiers from sysfs: tier id → node ids. */
  kernelTiers?: Map<number, number[]>
  /** CXL regions not (yet) joined to a node: region id → facts. */
  cxlRegions: Map<
    string,
    { interleaveWays: number; sizeBytes: number; memdevs: string[]; type: string }
  >
  /** daxctl / cxl -X: the NUMA node a region's memory was onlined to. */
  regionNode: Map<string, number>
  warnings: string[]
}

export function emptyFacts(): MachineFacts {
  return {
    sources: [],
    nodes: new Map(),
    cxlRegions: new Map(),
    regionNode: new Map(),
    warnings: [],
  }
}

export function nodeOf(facts: MachineFacts, node: number): NodeFacts {
  let n = facts.nodes.get(node)
  if (!n) {
    n = { node }
    facts.nodes.set(node, n)
  }
  return n
}

/** Fills what `into` lacks from `from`; where both give a value and they differ, warns. */
export function joinFacts(into: MachineFacts, from: MachineFacts, file: string): void {
  into.sources.push(...from.sources)
  into.warnings.push(...from.warnings)
  for (const [id, n] of from.nodes) {
    const cur = nodeOf(into, id)
    for (const key of Object.keys(n) as (keyof NodeFacts)[]) {
      const v = n[key]
      if (v === undefined) continue
      const old = cur[key]
      if (old === undefined) (cur as unknown as Record<string, unknown>)[key] = v
      else if (sameSize(key, old, v)) {
        // numactl's whole MiB is the smaller of the two: keep the finer size whichever came first.
        if ((v as number) > (old as number)) cur.capacityBytes = v as number
      } else if (typeof v !== 'object' && old !== v && key !== 'media' && key !== 'kind')
        into.warnings.push(
          `${file}: node ${id} ${key} is ${v} here but ${old} in an earlier file; keeping ${old}`,
        )
    }
  }
  if (from.slit && !into.slit) into.slit = from.slit
  if (from.kernelTiers && !into.kernelTiers) into.kernelTiers = from.kernelTiers
  for (const [k, v] of from.cxlRegions) into.cxlRegions.set(k, v)
  for (const [k, v] of from.regionNode) into.regionNode.set(k, v)
}

/**
 * numactl prints a node's size in whole MiB (bytes >> 20) while sysfs meminfo and hwloc give it to
 * the KiB or byte, so one node's sizes from two files differ by less than 1 MiB without disagreeing.
 */
function sameSize(key: keyof NodeFacts, a: unknown, b: unknown): boolean {
  return (
    key === 'capacityBytes' &&
    typeof a === 'number' &&
    typeof b === 'number' &&
    Math.abs(a - b) < 2 ** 20
  )
}

/**
 * A node sysfs's has_cpu lists but no file gives a CPU list for (a snapshot that lost the node's
 * cpulist) still has CPUs: it stays a socket, of 1 CPU, with a warning, rather than becoming a
 * CPU-less memory node.
 */
export function settleCpuCounts(facts: MachineFacts): void {
  for (const n of facts.nodes.values())
    if (n.cpus === undefined && n.hasCpu) {
      n.cpus = 1
      facts.warnings.push(
        `node ${n.node} has CPUs (sysfs has_cpu) but no file lists them; taken as 1 CPU — add nodeN/cpulist or \`numactl --hardware\``,
      )
    }
}
