import type { Workload } from '../../../../../shared/formats'

/**
 * The 4 KiB page numbers of an imported workload's frames, regions in workload order (the order
 * the trace first touched them), pages in address order: each region's name holds its address
 * range `0xSTART–0xEND`, so the touched pages inside it are its pages. One address space.
 */
export function pagesInWorkloadOrder(w: Workload, touched: Iterable<number>): number[] {
  const sorted = [...touched].sort((a, b) => a - b)
  const out: number[] = []
  for (const r of w.regions) {
    const m = /0x([0-9a-f]+)–0x([0-9a-f]+)/.exec(r.name ?? '')
    if (!m) throw new Error(`region ${r.id} has no address range in its name`)
    const lo = parseInt(m[1], 16) / 4096
    const hi = parseInt(m[2], 16) / 4096
    out.push(...sorted.filter((p) => p >= lo && p < hi))
  }
  return out
}
