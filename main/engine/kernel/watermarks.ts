import { bytesToKernelPages, KERNEL_PAGE_BYTES } from './page-units'

/**
 * Zone watermarks as mm/page_alloc.c computes them (`calculate_min_free_kbytes`,
 * `__setup_per_zone_wmarks`) [PA], plus TPP's demotion watermark [TPP-P].
 *
 * min_free_kbytes is one number for the whole machine, computed from all its low memory, and each
 * zone gets a share of it in proportion to its managed pages:
 *   zone MIN = pages_min × zone_managed / lowmem_managed.
 * The simulator treats each NUMA node as one zone and all memory as lowmem (64-bit, no
 * ZONE_HIGHMEM); memory onlined only as ZONE_MOVABLE also counts, a small overestimate.
 */

export interface ZoneWatermarks {
  minBytes: number
  lowBytes: number
  highBytes: number
  /** HIGH + δ: kswapd's target in tiering mode, and the base of the promotion fast path [PA][VMS]. */
  promoBytes: number
  /** TPP's WMARK_DEMOTE: kswapd on a top-tier node demotes until this much is free [TPP-P]. */
  demoteBytes: number
}

export interface WatermarkOptions {
  /** vm.watermark_scale_factor in units of 1/10000 (default 10 = 0.1 %) [PA]. */
  watermarkScaleFactor?: number
  /** vm.min_free_kbytes for the whole machine; default from the machine's memory. */
  minFreeKbytes?: number
  /** All memory of the machine (every node), for the default min_free_kbytes and the split. */
  totalLowmemBytes?: number
  /** TPP demote_scale_factor in 1/10000 (default 200 = 2 %) [TPP-P]. */
  demoteScaleFactor?: number
}

/** min_free_kbytes = clamp(int_sqrt(lowmem_kbytes × 16), 128, 262144) [PA]. */
export function minFreeKbytes(totalLowmemBytes: number): number {
  const lowmemKbytes = Math.floor(totalLowmemBytes / 1024)
  const v = Math.floor(Math.sqrt(lowmemKbytes * 16))
  return Math.min(262144, Math.max(128, v))
}

export function zoneWatermarks(managedBytes: number, opts: WatermarkOptions = {}): ZoneWatermarks {
  const scale = opts.watermarkScaleFactor ?? 10
  const totalBytes = opts.totalLowmemBytes ?? managedBytes
  if (managedBytes < 0 || totalBytes < managedBytes)
    throw new RangeError(
      `managedBytes (${managedBytes}) must be between 0 and totalLowmemBytes (${totalBytes})`,
    )
  const minKb = opts.minFreeKbytes ?? minFreeKbytes(totalBytes)
  const managed = bytesToKernelPages(managedBytes)
  const lowmem = Math.max(1, bytesToKernelPages(totalBytes))
  // pages_min = min_free_kbytes >> (PAGE_SHIFT - 10); the zone's share is proportional [PA].
  const pagesMin = Math.floor(minKb / (KERNEL_PAGE_BYTES / 1024))
  const min = Math.floor((pagesMin * managed) / lowmem)
  // δ = max(min/4, mult_frac(managed, watermark_scale_factor, 10000)) [PA]
  const delta = Math.max(Math.floor(min / 4), Math.floor((managed * scale) / 10000))
  const low = min + delta
  const high = low + delta
  const promo = high + delta
  // WMARK_DEMOTE = clamp(managed × demote_scale_factor / 10000, 2·HIGH, managed) [TPP-P]
  const demoteScale = opts.demoteScaleFactor ?? 200
  const demote = Math.min(managed, Math.max(2 * high, Math.floor((managed * demoteScale) / 10000)))
  const b = (pages: number): number => pages * KERNEL_PAGE_BYTES
  return {
    minBytes: b(min),
    lowBytes: b(low),
    highBytes: b(high),
    promoBytes: b(promo),
    demoteBytes: b(demote),
  }
}

/**
 * TPP's WMARK_DEMOTE of one node [TPP-P], with min_free_kbytes split over the machine's memory as
 * for the other watermarks (sim/watermarks.ts treats each node as one zone).
 */
export function demoteWatermarkBytes(
  managedBytes: number,
  totalLowmemBytes: number,
  demoteScaleFactor: number,
): number {
  return zoneWatermarks(managedBytes, {
    totalLowmemBytes: Math.max(totalLowmemBytes, managedBytes),
    demoteScaleFactor,
  }).demoteBytes
}
