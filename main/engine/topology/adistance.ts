import type { AccessCoordinate } from '../../../shared/analysis'
import { absOfUnsigned, toInt32, u32, u32Add, u32Div, u32Mul, u32Sub } from './kernel-arith'
import type { NumaNode } from './numbering'

/** [MTH] include/linux/memory-tiers.h */
export const MEMTIER_CHUNK_BITS = 7
export const MEMTIER_CHUNK_SIZE = 1 << MEMTIER_CHUNK_BITS
/** (4 * MEMTIER_CHUNK_SIZE) + (MEMTIER_CHUNK_SIZE >> 1) = 576, tier 4. */
export const MEMTIER_ADISTANCE_DRAM = 4 * MEMTIER_CHUNK_SIZE + (MEMTIER_CHUNK_SIZE >> 1)
/** [KMEM] drivers/dax/kmem.c: MEMTIER_ADISTANCE_DRAM * 5 = 2880, tier 22. */
export const MEMTIER_DEFAULT_DAX_ADISTANCE = MEMTIER_ADISTANCE_DRAM * 5

/** All-zero coordinate: what the kernel holds for memory without HMAT/CDAT data. */
export const NO_PERFORMANCE: AccessCoordinate = {
  readLatencyNs: 0,
  writeLatencyNs: 0,
  readBandwidthMBps: 0,
  writeBandwidthMBps: 0,
}

function hasNoData(perf: AccessCoordinate): boolean {
  // perf->read_latency + perf->write_latency == 0 || ... (unsigned sums)
  return (
    u32Add(u32(perf.readLatencyNs), u32(perf.writeLatencyNs)) === 0n ||
    u32Add(u32(perf.readBandwidthMBps), u32(perf.writeBandwidthMBps)) === 0n
  )
}

/**
 * mt_perf_to_adistance() ([MT] mm/memory-tiers.c), evaluated as C does it, left to right:
 *   ((((576 * (rl + wl)) / (drl + dwl)) * (drbw + dwbw)) / (rbw + wbw))
 * in 32-bit unsigned arithmetic (see kernel-arith.ts), the result stored in an `int`. Each division
 * truncates, and the product with the DRAM bandwidth sum can wrap past 2^32 when the DRAM bandwidth
 * is high and the node is much slower (e.g. Grace's 546 GB/s LPDDR5X and a node 7× its latency).
 * Returns null where the kernel returns an error (no data for the node).
 */
export function mtPerfToAdistance(perf: AccessCoordinate, dram: AccessCoordinate): number | null {
  if (hasNoData(perf)) return null
  const latency = u32Add(u32(perf.readLatencyNs), u32(perf.writeLatencyNs))
  const dramLatency = u32Add(u32(dram.readLatencyNs), u32(dram.writeLatencyNs))
  const dramBandwidth = u32Add(u32(dram.readBandwidthMBps), u32(dram.writeBandwidthMBps))
  const bandwidth = u32Add(u32(perf.readBandwidthMBps), u32(perf.writeBandwidthMBps))
  let v = u32Mul(u32(MEMTIER_ADISTANCE_DRAM), latency)
  v = u32Div(v, dramLatency)
  v = u32Mul(v, dramBandwidth)
  v = u32Div(v, bandwidth)
  return toInt32(v)
}

/**
 * The >10 % test of mt_set_default_dram_perf() ([MT]): `abs(perf->x - ref.x) * 10 > ref.x` for each
 * of the four metrics, with the unsigned subtraction, the kernel's abs() of an unsigned int and an
 * `int * 10` compared against an `unsigned int`.
 */
export function dramPerfMismatch(perf: AccessCoordinate, ref: AccessCoordinate): boolean {
  const metrics: (keyof AccessCoordinate)[] = [
    'readLatencyNs',
    'writeLatencyNs',
    'readBandwidthMBps',
    'writeBandwidthMBps',
  ]
  return metrics.some((m) => {
    const diff = absOfUnsigned(u32Sub(u32(perf[m]), u32(ref[m])))
    return u32(Math.imul(diff, 10)) > u32(ref[m])
  })
}

export type DramReferenceOutcome =
  /** Reference set, every DRAM node agreed: the HMAT adistance notifier is registered. */
  | 'ok'
  /** A DRAM node differed > 10 %: default_dram_perf_error, performance-based adistance is off. */
  | 'mismatch'
  /** A DRAM node had no data: hmat_set_default_dram_perf() failed, the HMAT notifier is not registered. */
  | 'no-data'

export interface DramReference {
  reference: AccessCoordinate | null
  referenceNode: number | null
  outcome: DramReferenceOutcome
  /** The node that caused 'mismatch' or 'no-data'. */
  culprit: number | null
}

/**
 * hmat_set_default_dram_perf() ([HMATC]) over default_dram_nodes = N_MEMORY & N_CPU ([MT]
 * memory_tier_init), in node order, calling mt_set_default_dram_perf() with each node's access1
 * (ACCESS_COORDINATE_CPU). The first node with data becomes the reference; the loop stops at the
 * first error (a node without data, or one that differs > 10 %).
 */
export function setDefaultDramPerf(
  nodes: NumaNode[],
  kernelAccess1: (AccessCoordinate | null)[],
): DramReference {
  let reference: AccessCoordinate | null = null
  let referenceNode: number | null = null
  for (const n of nodes) {
    if (!n.hasCpu || !n.hasMemory) continue
    const perf = kernelAccess1[n.node] ?? NO_PERFORMANCE
    if (hasNoData(perf)) return { reference, referenceNode, outcome: 'no-data', culprit: n.node }
    if (reference === null) {
      reference = perf
      referenceNode = n.node
    } else if (dramPerfMismatch(perf, reference)) {
      return { reference, referenceNode, outcome: 'mismatch', culprit: n.node }
    }
  }
  return { reference, referenceNode, outcome: 'ok', culprit: null }
}

export interface NodeAdistance {
  adistance: number
  source: 'performance' | 'dram-default' | 'dax-default'
}

/**
 * A node's abstract distance. The starting value depends on how the memory comes online: socket
 * DRAM and coherent GPU memory are boot memory, set_node_memory_tier() starts from
 * MEMTIER_ADISTANCE_DRAM ([MT]); a CXL expander is onlined by dax/kmem, which starts from
 * MEMTIER_DEFAULT_DAX_ADISTANCE ([KMEM] dev_dax_kmem_probe). Both then call mt_calc_adistance(),
 * whose notifiers may replace the value:
 * - hmat_calculate_adistance ([HMATC]) for every node, registered only when
 *   hmat_set_default_dram_perf() succeeded;
 * - for CXL memory, cxl_region_calculate_adistance (drivers/cxl/core/region.c) with the CDAT-derived
 *   ACCESS_COORDINATE_CPU, registered per region regardless of the HMAT outcome.
 * Both use mt_perf_to_adistance(), which fails after a DRAM mismatch (default_dram_perf_error),
 * without a reference (-ENOENT) or without data for the node (-EINVAL); the default then stays.
 */
export function nodeAdistance(
  n: NumaNode,
  kernelAccess1: AccessCoordinate | null,
  dram: DramReference,
): NodeAdistance {
  // CPU-less memory handed over at boot (on-package HBM) is not dax/kmem memory.
  const isKmem = n.component.kind === 'cxl-memory' && n.component.onlining !== 'boot'
  const fallback: NodeAdistance = isKmem
    ? { adistance: MEMTIER_DEFAULT_DAX_ADISTANCE, source: 'dax-default' }
    : { adistance: MEMTIER_ADISTANCE_DRAM, source: 'dram-default' }
  const notifierActive = isKmem || dram.outcome === 'ok'
  if (!notifierActive || dram.outcome === 'mismatch' || dram.reference === null) return fallback
  const adistance = mtPerfToAdistance(kernelAccess1 ?? NO_PERFORMANCE, dram.reference)
  return adistance === null ? fallback : { adistance, source: 'performance' }
}

/** Tier id: adistance >> MEMTIER_CHUNK_BITS (find_create_memory_tier: round_down, dev.id). */
export function tierOf(adistance: number): number {
  return adistance >> MEMTIER_CHUNK_BITS
}
