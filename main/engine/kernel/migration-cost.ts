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

/**
 * CPU time per frame of one migration call, by folio size and batch size, ns. The batched
 * figures are the measured throughputs above (batches of NR_MAX_BATCHED_MIGRATION); the single
 * ones follow from the copy's share of the time [MIGOFF]: the copy takes the same time either way,
 * and it is ~35 % of a batched 4 KiB migration but < 1 % of a single one (so a single 4 KiB folio
 * costs ≥ 0.35 × 1.10 µs ÷ 0.01 ≈ 38 µs), ~97 % of a batched 2 MiB one and ~66 % of a single one
 * (0.97 × 196.6 µs ÷ 0.66 ≈ 289 µs). An engine knob (EngineOptions.migrationCostNs).
 */
export interface MigrationCostTable {
  single4KiBNs: number
  batched4KiBNs: number
  single2MiBNs: number
  batched2MiBNs: number
}

const COPY_SHARE = { batched4KiB: 0.35, single4KiB: 0.01, batched2MiB: 0.97, single2MiB: 0.66 }

export const DEFAULT_MIGRATION_COST: MigrationCostTable = (() => {
  const b4 = migrationCpuNsPerFrame(4096)
  const b2 = migrationCpuNsPerFrame(2 * 1024 * 1024)
  return {
    single4KiBNs: (b4 * COPY_SHARE.batched4KiB) / COPY_SHARE.single4KiB,
    batched4KiBNs: b4,
    single2MiBNs: (b2 * COPY_SHARE.batched2MiB) / COPY_SHARE.single2MiB,
    batched2MiBNs: b2,
  }
})()

/**
 * Per-frame CPU ns of migrating `batch` frames of `pageBytes` in one call: a fixed per-call part
 * shared by the batch plus a per-folio part, fitted so a batch of 1 costs the single figure and a
 * full batch (512) the batched one; sizes between 4 KiB and 2 MiB interpolate over log2(size).
 */
export function migrationNsPerFrame(
  table: MigrationCostTable,
  pageBytes: number,
  batch: number,
): number {
  const b = Math.max(1, Math.min(NR_MAX_BATCHED_MIGRATION, batch))
  const small = perFrameAt(table.single4KiBNs, table.batched4KiBNs, b)
  const huge = perFrameAt(table.single2MiBNs, table.batched2MiBNs, b)
  if (pageBytes <= 4096) return small
  if (pageBytes >= 2 * 1024 * 1024) return huge
  const t = Math.log2(pageBytes / 4096) / Math.log2(512)
  return small + t * (huge - small)
}

/**
 * The per-frame figure of a batch of b between the single and the batched one. A module-level
 * function, not a closure inside migrationNsPerFrame: that runs once per migration, and a closure
 * made per call (named by tsx's keepNames with a defineProperty) cost more than the arithmetic.
 */
function perFrameAt(single: number, batched: number, b: number): number {
  return (
    batched +
    ((single - batched) * (NR_MAX_BATCHED_MIGRATION / b - 1)) / (NR_MAX_BATCHED_MIGRATION - 1)
  )
}
