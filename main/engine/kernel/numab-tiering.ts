import { bytesToKernelPages, KERNEL_PAGE_BYTES } from './page-units'

/**
 * The promotion decision of NUMA balancing in tiering mode, `should_numa_migrate_memory` with
 * `pgdat_free_space_enough`, `numa_promotion_rate_limit` and `numa_promotion_adjust_threshold`
 * [FAIR] (tiering-facts.md §2 items 1–5). One instance per promotion *target* node holds that
 * node's pgdat state (nbp_threshold, nbp_rl_*, nbp_th_*, the candidate counter). Time comes in as
 * arguments (simulated ms); nothing here reads a clock. Counts are in kernel base pages, as in the
 * kernel, so a 2 MiB folio counts 512.
 */

export interface NumabTieringParams {
  /** numa_balancing hot_threshold_ms: hint-fault latency below which a page is hot [FAIR]. */
  hotThresholdMs: number
  /** numa_balancing_promote_rate_limit_MBps, per target node [FAIR][KRST]. */
  rateLimitMBps: number
  /** numa_balancing_scan_period_max_ms: the threshold adjust period [FAIR]. */
  scanPeriodMaxMs: number
}

export const NUMAB_TIERING_DEFAULTS: Readonly<NumabTieringParams> = Object.freeze({
  hotThresholdMs: 1000,
  rateLimitMBps: 65536,
  scanPeriodMaxMs: 60000,
})

/** NUMA_MIGRATION_ADJUST_STEPS: the threshold moves by 2·hot_threshold/16 per adjustment [FAIR]. */
export const NUMA_MIGRATION_ADJUST_STEPS = 16

export interface PromotionRequest {
  /** Time of the hint fault, ms. */
  nowMs: number
  /** When the scanner last made the page PROT_NONE (the folio's stamped access time), ms. */
  scanTimeMs: number
  /** Size of the folio, bytes (4096 or 2 MiB). */
  folioBytes: number
  /** Target node now: free bytes, its WMARK_PROMO and its present bytes. */
  targetFreeBytes: number
  targetPromoWmarkBytes: number
  targetPresentBytes: number
}

export type PromotionVerdict =
  'promote-free-space' | 'promote-hot' | 'reject-cold' | 'reject-rate-limited'

/** Enough free space: free > WMARK_PROMO + max(1 GiB, present/16) (`pgdat_free_space_enough`). */
export function freeSpaceEnough(
  freeBytes: number,
  promoWmarkBytes: number,
  presentBytes: number,
): boolean {
  // enough_wmark = max(1 GiB >> PAGE_SHIFT, node_present_pages >> 4) [FAIR]
  const enoughPages = Math.max(
    (1024 * 1024 * 1024) / KERNEL_PAGE_BYTES,
    Math.floor(bytesToKernelPages(presentBytes) / 16),
  )
  // zone_watermark_ok(…, mark, …) holds when free pages exceed the mark.
  return bytesToKernelPages(freeBytes) > bytesToKernelPages(promoWmarkBytes) + enoughPages
}

export class TieringPromotionGate {
  readonly params: NumabTieringParams
  /** nbp_threshold: 0 means "use hot_threshold". */
  private nbpThresholdMs = 0
  /** PGPROMOTE_CANDIDATE: pages that passed the latency test, ever. */
  private candidatePages = 0
  /** PGPROMOTE_CANDIDATE_NRL: pages promoted by the free-space fast path. */
  private freeSpacePages = 0
  private rlStartMs = 0
  private rlNrCand = 0
  private thStartMs = 0
  private thNrCand = 0

  constructor(params: Partial<NumabTieringParams> = {}) {
    this.params = { ...NUMAB_TIERING_DEFAULTS, ...params }
  }

  /** The threshold now in force, ms. */
  get thresholdMs(): number {
    return this.nbpThresholdMs || this.params.hotThresholdMs
  }

  get candidates(): { rateLimitedPages: number; freeSpacePages: number } {
    return { rateLimitedPages: this.candidatePages, freeSpacePages: this.freeSpacePages }
  }

  /** The bound's base: the threshold now, at least hot_threshold (a free-space reset goes there). */
  get boundBaseMs(): number {
    return Math.max(this.thresholdMs, this.params.hotThresholdMs)
  }

  /**
   * The earliest time, seen from `nowMs`, of the next adjustment: it takes a fault more than
   * scan_period_max after the last one (nbp_th_start).
   */
  nextAdjustMs(nowMs: number): number {
    return Math.max(nowMs, this.thStartMs + this.params.scanPeriodMaxMs)
  }

  /**
   * The highest threshold that can be in force at a fault at `tMs` (≥ `nowMs`), ms: the base plus
   * one unit per adjustment that can happen by then (the first at nextAdjustMs, then at most one
   * per scan_period_max), never above 2·hot_threshold.
   */
  maxThresholdMs(nowMs: number, tMs: number): number {
    const refTh = this.params.hotThresholdMs
    const unitTh = Math.floor((refTh * 2) / NUMA_MIGRATION_ADJUST_STEPS)
    const first = this.nextAdjustMs(nowMs)
    const adjustments =
      tMs > first ? 1 + Math.floor((tMs - first) / this.params.scanPeriodMaxMs) : 0
    return Math.min(refTh * 2, this.boundBaseMs + unitTh * adjustments)
  }

  /** rate_limit = MB_TO_PAGES(rate_limit_MBps) (MB here is 2^20 bytes). */
  get rateLimitPages(): number {
    return (this.params.rateLimitMBps * 1024 * 1024) / KERNEL_PAGE_BYTES
  }

  /** One hint fault on a slow-tier page whose task runs near this target node. */
  decide(req: PromotionRequest): PromotionVerdict {
    const nr = Math.max(1, bytesToKernelPages(req.folioBytes))
    if (freeSpaceEnough(req.targetFreeBytes, req.targetPromoWmarkBytes, req.targetPresentBytes)) {
      // The workload changed: reset the hot threshold [FAIR].
      this.nbpThresholdMs = 0
      this.freeSpacePages += nr
      return 'promote-free-space'
    }
    this.adjustThreshold(req.nowMs)
    // Hint-fault latency = fault time − scan time; the kernel stores a truncated stamp whose
    // wrap (minutes) the simulator ignores.
    const latencyMs = req.nowMs - req.scanTimeMs
    if (latencyMs >= this.thresholdMs) return 'reject-cold'
    return this.rateLimited(req.nowMs, nr) ? 'reject-rate-limited' : 'promote-hot'
  }

  /** `numa_promotion_rate_limit`: candidates counted per window of > 1 s [FAIR]. */
  private rateLimited(nowMs: number, nr: number): boolean {
    this.candidatePages += nr
    if (nowMs - this.rlStartMs > 1000) {
      this.rlStartMs = nowMs
      this.rlNrCand = this.candidatePages
    }
    return this.candidatePages - this.rlNrCand >= this.rateLimitPages
  }

  /**
   * `numa_promotion_adjust_threshold`: every scan_period_max, compare the candidates of the past
   * period with ref = rate_limit × period; more than 110 % lowers the threshold by one unit
   * (2·hot_threshold/16, not below one unit), less than 90 % raises it (up to 2·hot_threshold).
   */
  adjustThreshold(nowMs: number): void {
    const periodMs = this.params.scanPeriodMaxMs
    if (!(nowMs - this.thStartMs > periodMs)) return
    this.thStartMs = nowMs
    const refTh = this.params.hotThresholdMs
    const refCand = Math.floor((this.rateLimitPages * periodMs) / 1000)
    const diffCand = this.candidatePages - this.thNrCand
    const unitTh = Math.floor((refTh * 2) / NUMA_MIGRATION_ADJUST_STEPS)
    let th = this.nbpThresholdMs || refTh
    if (diffCand > Math.floor((refCand * 11) / 10)) th = Math.max(th - unitTh, unitTh)
    else if (diffCand < Math.floor((refCand * 9) / 10)) th = Math.min(th + unitTh, refTh * 2)
    this.thNrCand = this.candidatePages
    this.nbpThresholdMs = th
  }
}
