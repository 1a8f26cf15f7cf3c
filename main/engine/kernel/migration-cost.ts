/**
 * What migrating frames costs: CPU time in the migrating context and bytes moved.
 *
 * Throughput of baseline `move_pages` on a Zen3 2-socket machine [MIGOFF]: 3.73 GB/s with 4 KiB
 * folios (≈ 1.1 µs per page) and 10.67 GB/s with 2 MiB folios (≈ 197 µs per page). Other sizes
 * interpolate the throughput over log2(size) and clamp at the ends. `migrate_pages` works in
 * batches of up to NR_MAX_BATCHED_MIGRATION = 512 folios [MIGOFF][MIG].
 */

export const NR_MAX_BATCHED_MIGRATION = 512

/** Measured move_pages throughput, GB/s (decimal: 1 GB/s = 1 byte/ns) [MIGOFF]. */
export const MIGRATION_THROUGHPUT_GBPS: ReadonlyArray<{ pageBytes: number; gbps: number }> = [
  { pageBytes: 4096, gbps: 3.73 },
  { pageBytes: 2 * 1024 * 1024, gbps: 10.67 },
]

export function migrationThroughputGBps(pageBytes: number): number {
  const [a, b] = MIGRATION_THROUGHPUT_GBPS
  if (pageBytes <= a.pageBytes) return a.gbps
  if (pageBytes >= b.pageBytes) return b.gbps
  const t = Math.log2(pageBytes / a.pageBytes) / Math.log2(b.pageBytes / a.pageBytes)
  return a.gbps + t * (b.gbps - a.gbps)
}

/** CPU time to migrate one frame, ns: pageBytes ÷ throughput (bytes/ns). */
export function migrationCpuNsPerFrame(pageBytes: number): number {
  return pageBytes / migrationThroughputGBps(pageBytes)
}

export interface MigrationCost {
  /** CPU time of the migrating context (the faulting task, or kswapd/kmigrated), ns. */
  cpuNs: number
  /** Bytes read from the source node and written to the target node (each). */
  bytes: number
  /** migrate_pages batches needed. */
  batches: number
}

export function migrationCost(frames: number, pageBytes: number): MigrationCost {
  if (frames <= 0) return { cpuNs: 0, bytes: 0, batches: 0 }
  return {
    cpuNs: frames * migrationCpuNsPerFrame(pageBytes),
    bytes: frames * pageBytes,
    batches: Math.ceil(frames / NR_MAX_BATCHED_MIGRATION),
  }
}
