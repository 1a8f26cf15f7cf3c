import type { Watermarks } from '../vocabulary'
import { zoneWatermarks } from '../kernel/watermarks'

/**
 * Per-node watermarks (mm/page_alloc.c [PA]): each node is one zone, and min_free_kbytes is split
 * over nodes by size, so the machine's total memory is the lowmem base.
 */
export function nodeWatermarks(capacityBytes: number[]): Watermarks[] {
  const total = capacityBytes.reduce((a, b) => a + b, 0)
  return capacityBytes.map((managed) => {
    const wm = zoneWatermarks(managed, { totalLowmemBytes: Math.max(total, managed) })
    return {
      minBytes: wm.minBytes,
      lowBytes: wm.lowBytes,
      highBytes: wm.highBytes,
      promoBytes: wm.promoBytes,
    }
  })
}
