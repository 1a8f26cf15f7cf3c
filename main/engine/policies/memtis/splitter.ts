import type { PolicyContext } from '../api'
import {
  binThatFits,
  HPAGE_PMD_NR,
  MEMTIS_BINS,
  memtisBin,
  type AccessHistogram,
} from './histogram'
import { hugePageSkew, splitTargetBasePages } from './split'

/** Skew bins (`access_map[21]`). */
const SKEW_BINS = 21
/** Huge pages split per kmigraterd wake-up and node (`deferred_split_scan_for_htmm`: nr_max 50). */
const SPLITS_PER_PASS = 50
/** htmm_gamma = 4 in Memtis's run scripts: the split target is scaled by 4/10. */
const GAMMA = 0.4
/** A base page's share of a huge page in the histograms (hotness_hg counts base pages). */
const BASE_SHARE = 1 / HPAGE_PMD_NR

/**
 * Memtis's huge-page split [MEMTIS] (linux/mm/htmm_core.c), on the engine's frame split
 * (ctx.splitFrame / ctx.migrateBasePages):
 * - every sample of a huge page adds HPAGE_PMD_NR to its base page's counter (`update_huge_page`,
 *   the sample's `basePage`); a sample whose base page was "may hot" (its bin at or above the
 *   base-page threshold) counts towards the expected fast-tier hits, a sample on the fast tier
 *   towards the real ones;
 * - at each cooling every huge page's skew (split.ts `hugePageSkew`) goes into a skew histogram
 *   and its base-page counters are halved (`check_transhuge_cooling`);
 * - at the adaptation after a cooling, the number of base pages to split comes from the gap
 *   between expected and real hits (`set_memcg_nr_split`) and the skew threshold from the skew
 *   histogram (`set_memcg_split_thres`); a huge page sampled at or above that skew is queued for
 *   splitting while the budget lasts (`check_split_huge_page`), and the next kmigraterd wake-up
 *   splits up to 50 per node (`deferred_split_scan_for_htmm`);
 * - a split page's base pages are pages of their own: its samples go to their counters (each in
 *   the frame histogram as 1/512 of a frame, as hotness_hg counts base pages), the hot ones are
 *   promoted and the cold ones demoted by the migration pass.
 * Simplifications: counters live only for huge pages that were sampled (a Map; the kernel keeps
 * them in every huge page's tail pages); the expected/real hit counters restart at each cooling;
 * the latency gap uses the engine's loaded latencies of the last epoch (the kernel's constants
 * DRAM_ACCESS_LATENCY / CXL_ACCESS_LATENCY otherwise).
 */
export class HugePageSplitter {
  /** Base-page counters of sampled huge pages and of split frames (Memtis units). */
  readonly sub = new Map<number, Uint32Array>()
  /** Estimated base-page histogram (`ebp_hotness_hg`), in base pages. */
  private readonly ebp = new Float64Array(MEMTIS_BINS)
  private readonly skewOf = new Map<number, number>()
  private readonly accessMap = new Float64Array(SKEW_BINS)
  private readonly queued = new Set<number>()
  /** Split frames, in split order. */
  readonly split: number[] = []
  bpActiveBin: number
  private maxDramSampled = 0
  private dramSampled = 0
  private prevMaxDramSampled = 0
  private prevDramSampled = 0
  private sumUtil = 0
  private numUtil = 0
  private coolings = 0
  private nrSplit = 0
  private nrSplitTail = 0
  private splitThreshold = SKEW_BINS

  constructor(
    private readonly ctx: PolicyContext,
    private readonly hist: AccessHistogram,
    minHotBin: number,
  ) {
    this.bpActiveBin = minHotBin
  }

  get splitCount(): number {
    return this.split.length
  }

  /**
   * One sample of base page `b` of frame f on `node`. Returns whether the frame's own counter
   * (the huge page's) should count it: false once the frame is split.
   */
  note(f: number, b: number, node: number): boolean {
    let c = this.sub.get(f)
    if (!c) this.sub.set(f, (c = new Uint32Array(HPAGE_PMD_NR)))
    const before = c[b]
    if (memtisBin(before) >= this.bpActiveBin) this.maxDramSampled++
    if (node >= 0 && this.ctx.isTopTier(node)) this.dramSampled++
    const after = Math.min(0x7fffffff, before + HPAGE_PMD_NR)
    c[b] = after
    const b0 = before === 0 ? -1 : memtisBin(before)
    const b1 = memtisBin(after)
    if (b0 !== b1) {
      if (b0 >= 0) this.ebp[b0]--
      this.ebp[b1]++
    }
    const isSplit = this.ctx.isSplit?.(f) ?? false
    if (isSplit) {
      // A base page of its own: it is in the frame histogram as a 512th of a frame.
      if (b0 !== b1) {
        if (b0 >= 0) this.hist.hist[b0] -= BASE_SHARE
        this.hist.hist[b1] += BASE_SHARE
      }
      return false
    }
    this.checkSplit(f)
    return true
  }

  /** `check_split_huge_page`: queue f when its skew reaches the threshold and budget is left. */
  private checkSplit(f: number): void {
    if (this.splitThreshold >= SKEW_BINS || this.queued.has(f)) return
    const skew = this.skewOf.get(f) ?? 0
    const tailBin = this.splitThreshold - 1
    if (skew < tailBin) return
    const tail = skew === tailBin || this.nrSplit === 0
    if (tail && this.nrSplitTail === 0) return
    if (tail) this.nrSplitTail = Math.max(0, this.nrSplitTail - HPAGE_PMD_NR)
    else this.nrSplit = Math.max(0, this.nrSplit - HPAGE_PMD_NR)
    if (this.accessMap[skew] > 0) this.accessMap[skew]--
    this.queued.add(f)
  }

  /**
   * A cooling (after the frame histogram's): skews from the counters before halving, then the
   * halving; split frames' base pages go back into the frame histogram at their new bins.
   */
  cool(activeBin: number): void {
    this.coolings++
    this.prevMaxDramSampled = this.maxDramSampled
    this.prevDramSampled = this.dramSampled
    this.maxDramSampled = 0
    this.dramSampled = 0
    this.accessMap.fill(0)
    this.ebp.fill(0)
    this.sumUtil = 0
    this.numUtil = 0
    const bpHot = Math.min(activeBin, this.bpActiveBin)
    for (const [f, c] of this.sub) {
      const isSplit = this.ctx.isSplit?.(f) ?? false
      if (!isSplit) {
        let hot = 0
        let refs = 0
        for (let i = 0; i < c.length; i++)
          if (memtisBin(c[i]) >= bpHot) {
            hot++
            refs += c[i]
          }
        const skew = hugePageSkew(c, bpHot, this.hist.bin(f))
        this.skewOf.set(f, skew)
        this.accessMap[skew]++
        if (hot > 0) {
          this.sumUtil += Math.floor(refs / HPAGE_PMD_NR)
          this.numUtil++
        }
      }
      let any = false
      for (let i = 0; i < c.length; i++) {
        const v = c[i] >>> 1
        c[i] = v
        if (v === 0) continue
        any = true
        this.ebp[memtisBin(v)]++
        if (isSplit) this.hist.hist[memtisBin(v)] += BASE_SHARE
      }
      if (!any && !isSplit) {
        this.sub.delete(f)
        this.skewOf.delete(f)
      }
    }
    // __cooling: the base-page threshold steps down with every cooling.
    this.bpActiveBin = Math.max(0, this.bpActiveBin - 1)
  }

  /**
   * The adaptation after a cooling (`__adjust_active_threshold` with need_split): the base-page
   * threshold from the estimated base-page histogram, then the split target and threshold.
   */
  adapt(cooled: boolean, capacityFrames: number, minHotBin: number, samplesPerCooling: number) {
    const idx = Math.max(binThatFits(this.ebp, capacityFrames * HPAGE_PMD_NR).bin, minHotBin)
    if (!cooled) {
      this.bpActiveBin = idx
      return
    }
    if (idx < this.bpActiveBin) this.bpActiveBin = idx
    const { fast, slow } = this.latencies()
    this.nrSplit = splitTargetBasePages({
      expectedHits: this.prevMaxDramSampled,
      realHits: this.prevDramSampled,
      sumUtil: this.sumUtil,
      avgHugeAccesses: this.numUtil > 0 ? Math.floor(this.sumUtil / this.numUtil) : 0,
      samplesPerCooling,
      coolings: this.coolings,
      fastLatencyNs: fast,
      slowLatencyNs: slow,
      gamma: GAMMA,
    })
    this.nrSplitTail = 0
    // set_memcg_split_thres: the lowest skew bin whose pages, with all more skewed ones, the
    // target still covers; the bin below it gets the rest (the "tail").
    if (this.nrSplit === 0) {
      this.splitThreshold = SKEW_BINS
      return
    }
    let left = this.nrSplit
    let i = SKEW_BINS - 1
    for (; i > 0; i--) {
      const pages = this.accessMap[i] * HPAGE_PMD_NR
      if (left < pages) {
        this.nrSplitTail = left
        this.nrSplit -= left
        break
      }
      left -= pages
    }
    if (i !== SKEW_BINS - 1) this.splitThreshold = i + 1
  }

  /** Mean loaded latency of the fast and of the other nodes in the last epoch, ns. */
  private latencies(): { fast: number; slow: number } {
    const ctx = this.ctx
    let fast = 0
    let slow = 0
    for (let n = 0; n < ctx.nodeCount; n++) {
      const l = ctx.nodeCounters(n).loadedLatencyNs
      if (ctx.isTopTier(n)) fast = Math.max(fast, l)
      else slow = Math.max(slow, l)
    }
    // DRAM_ACCESS_LATENCY 80 and CXL_ACCESS_LATENCY 170 (linux/include/linux/htmm.h) until the
    // first epoch has latencies to report.
    return fast > 0 && slow > fast ? { fast, slow } : { fast: 80, slow: 170 }
  }

  /** The kmigraterd wake-up's split scan: up to 50 queued huge pages per node. Returns splits. */
  splitQueued(): number {
    const ctx = this.ctx
    if (!ctx.splitFrame || this.queued.size === 0) return 0
    const perNode = new Map<number, number>()
    let done = 0
    for (const f of [...this.queued]) {
      const node = ctx.frameNode(f)
      const k = perNode.get(node) ?? 0
      if (k >= SPLITS_PER_PASS) continue
      this.queued.delete(f)
      if (ctx.splitFrame(f) !== 'split') continue
      perNode.set(node, k + 1)
      this.split.push(f)
      done++
      // The huge page leaves the frame histogram; its base pages enter it (a 512th each).
      this.hist.forget(f)
      const c = this.sub.get(f)
      if (c)
        for (let i = 0; i < c.length; i++)
          if (c[i] > 0) this.hist.hist[memtisBin(c[i])] += BASE_SHARE
      this.skewOf.delete(f)
    }
    return done
  }
}
