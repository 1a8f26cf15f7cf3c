/**
 * Memtis's access histogram [MEMTIS] (linux/mm/htmm_core.c): every sampled access adds to its
 * page's counter, a page sits in bin floor(log2(count + 1)) (16 bins, `get_idx`), and the
 * histogram counts pages per bin. Counters are in Memtis's units: a huge page adds 1 per sample
 * and a base page adds HPAGE_PMD_NR (512), so both compare as accesses per 2 MiB
 * (`update_huge_page` / `update_base_page`). Cooling halves every counter (`check_*_cooling`);
 * the hot threshold is the lowest bin from which the pages at or above it still fit the fast
 * tier (`__adjust_active_threshold`).
 */

/** Bins of the histogram (`hotness_hg[16]`). */
export const MEMTIS_BINS = 16
/** Base pages per 2 MiB huge page (HPAGE_PMD_NR on x86-64). */
export const HPAGE_PMD_NR = 512
/** Counters stop here instead of wrapping (the kernel's are 32-bit; no bin needs more). */
const COUNT_CAP = 0x7fffffff

/** `get_idx`: floor(log2(count + 1)), at most 15. */
export function memtisBin(count: number): number {
  if (count <= 0) return 0
  return Math.min(MEMTIS_BINS - 1, 31 - Math.clz32(Math.min(count, COUNT_CAP - 1) + 1))
}

/**
 * `__adjust_active_threshold`'s search over a histogram of pages per bin: from the hottest bin
 * down, add bins while the total fits `capacity`; `bin` is one above the first bin that does not
 * fit (15 when even bin 15 does not), `active` the pages of the bins that fit. Bin 0 (never or
 * no longer sampled) only matters when everything above fits, and then counts as empty.
 */
export function binThatFits(hist: Float64Array, capacity: number): { bin: number; active: number } {
  let active = 0
  let idx = MEMTIS_BINS - 1
  for (; idx >= 0; idx--) {
    const n = idx === 0 ? 0 : hist[idx]
    if (active + n > capacity) break
    active += n
  }
  if (idx !== MEMTIS_BINS - 1) idx++
  return { bin: idx, active }
}

/** Per-frame counters with the histogram kept in step (frames never sampled stay in bin 0). */
export class AccessHistogram {
  readonly counts: Uint32Array
  /** Frames per bin. Bin 0 stays empty: frames never sampled, or cooled back to 0, are not
   * counted, as the threshold search never needs them (see `hotThreshold`). */
  readonly hist = new Float64Array(MEMTIS_BINS)
  /** Frames with a non-zero counter, in first-sampled order (the ones cooling must visit). */
  private touched: Int32Array
  private nTouched = 0
  /** Added to a frame's counter per sample: 1 for 2 MiB frames, 512 for 4 KiB ones. */
  readonly perSample: number

  constructor(frames: number, pageBytes: number) {
    this.counts = new Uint32Array(frames)
    this.touched = new Int32Array(Math.min(frames, 1024))
    this.perSample = pageBytes >= 2 * 1024 * 1024 ? 1 : HPAGE_PMD_NR
  }

  /** One sample of frame f. */
  add(f: number): void {
    const before = this.counts[f]
    if (before === 0) this.remember(f)
    const after = Math.min(COUNT_CAP, before + this.perSample)
    this.counts[f] = after
    const b0 = before === 0 ? -1 : memtisBin(before)
    const b1 = memtisBin(after)
    if (b0 !== b1) {
      if (b0 >= 0) this.hist[b0]--
      this.hist[b1]++
    }
  }

  bin(f: number): number {
    return memtisBin(this.counts[f])
  }

  /** Halves every counter and rebuilds the histogram (a frame cooled to 0 is forgotten). */
  cool(): void {
    this.hist.fill(0)
    let kept = 0
    for (let i = 0; i < this.nTouched; i++) {
      const f = this.touched[i]
      const c = this.counts[f] >>> 1
      this.counts[f] = c
      if (c === 0) continue
      this.touched[kept++] = f
      this.hist[memtisBin(c)]++
    }
    this.nTouched = kept
  }

  /** Drops a frame's counter (a split huge page: its base pages are counted on their own). */
  forget(f: number): void {
    const c = this.counts[f]
    if (c === 0) return
    this.hist[memtisBin(c)]--
    this.counts[f] = 0
  }

  /** Frames with a non-zero counter (a view; valid until the next add or cool). */
  sampledFrames(): Int32Array {
    return this.touched.subarray(0, this.nTouched)
  }

  /** Frames at or above a bin. */
  framesAtOrAbove(bin: number): number {
    let n = 0
    for (let b = Math.max(1, bin); b < MEMTIS_BINS; b++) n += this.hist[b]
    return n
  }

  /**
   * `__adjust_active_threshold`'s search: from the hottest bin down, add bins while the total
   * fits `capacityFrames`; the threshold is one above the first bin that does not fit (15 when
   * even bin 15 does not), at least `minBin` (htmm_thres_hot). Also says whether the hot pages
   * fill less than 75 % of the capacity (then Memtis keeps a warm band one bin below).
   */
  hotThreshold(capacityFrames: number, minBin: number): { bin: number; needWarm: boolean } {
    const { bin, active } = binThatFits(this.hist, capacityFrames)
    return { bin: Math.max(bin, minBin), needWarm: active < capacityFrames * 0.75 }
  }

  private remember(f: number): void {
    if (this.nTouched === this.touched.length) {
      const grown = new Int32Array(Math.min(this.counts.length, this.touched.length * 2))
      grown.set(this.touched)
      this.touched = grown
    }
    this.touched[this.nTouched++] = f
  }
}
