import { HPAGE_PMD_NR, memtisBin } from './histogram'

/**
 * Memtis's huge-page split decision [MEMTIS] (linux/mm/htmm_core.c), as pure functions over the
 * per-base-page counters of a 2 MiB page; splitter.ts drives them with the samples' base pages
 * and splits through the engine (ctx.splitFrame, sim/split-frames.ts).
 */

/**
 * `get_skew_idx`: 0, then log2 bins (1–3 → 1 … 512–1023 → 10) below 1024, then 1024-wide steps
 * from 11 up to 20.
 */
export function skewBin(x: number): number {
  if (x >= 1024) {
    let cnt = 0
    let t = x
    while (t > 1024 && cnt < 9) {
      t -= 1024
      cnt++
    }
    return cnt + 11
  }
  let cnt = 0
  for (let t = Math.floor(x); t > 0; t >>>= 1) cnt++
  return cnt
}

/**
 * `check_transhuge_cooling`'s skewness of one huge page: the sum of its subpages' squared
 * counters over the square of its hot subpages (those in a bin at or above the base-page hot
 * threshold), scaled down by 11, as a skew bin. 0 when no subpage is hot or the huge page itself
 * is very hot (bin 13 or more): splitting it would not help.
 */
export function hugePageSkew(
  subpageCounts: ArrayLike<number>,
  basePageHotBin: number,
  hugePageBin: number,
): number {
  let hot = 0
  let squares = 0
  for (let i = 0; i < subpageCounts.length; i++) {
    const c = subpageCounts[i]
    if (memtisBin(c) >= basePageHotBin) hot++
    squares += c * c
  }
  if (hot === 0 || hugePageBin >= 13) return 0
  return skewBin(Math.floor(Math.floor(Math.floor(squares / 11) / hot) / hot))
}

/**
 * `set_memcg_nr_split`: base pages to split so the fast tier's hit ratio could reach 95 % of the
 * estimated one. `expectedHits` / `realHits` are the (cooled) fast-tier sample counts with
 * base-page and with huge-page placement, `samplesPerCooling` the cooling period, `coolings` the
 * cooling clock, `avgHugeAccesses` the mean accesses of a hot huge page, the latencies the two
 * tiers' (ns), `gamma` htmm_gamma / 10.
 */
export function splitTargetBasePages(p: {
  expectedHits: number
  realHits: number
  sumUtil: number
  avgHugeAccesses: number
  samplesPerCooling: number
  coolings: number
  fastLatencyNs: number
  slowLatencyNs: number
  gamma: number
}): number {
  const ehr = Math.floor((p.expectedHits * 95) / 100)
  if (ehr <= p.realHits || p.avgHugeAccesses <= 0 || p.coolings < 1) return 0
  const records = p.samplesPerCooling * 2 - Math.floor(p.samplesPerCooling / 2 ** (p.coolings - 1))
  let n = Math.floor(((ehr - p.realHits) * p.sumUtil) / records)
  n = Math.floor(n / p.avgHugeAccesses)
  n = Math.floor((n * (p.slowLatencyNs - p.fastLatencyNs)) / p.fastLatencyNs)
  return Math.floor(n * HPAGE_PMD_NR * p.gamma)
}
