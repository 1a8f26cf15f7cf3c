import { freeSpaceEnough, TieringPromotionGate } from '../kernel'
import type { HintFault, PolicyContext } from './api'

export interface TieringPromotionKnobs {
  hotThresholdMs: number
  rateLimitMBps: number
  /** Adjust the threshold every scan_period_max (numa_promotion_adjust_threshold [FAIR]). */
  thresholdAutoAdjust: boolean
  scanPeriodMaxMs: number
}

/**
 * The tiering half of `should_numa_migrate_memory` for one run [FAIR]: one
 * TieringPromotionGate (pgdat state) per promotion target node, created on the node's first fault,
 * and the cutoff a policy may give the engine (`ignoredHintFaultLatencyMs`) so faults that no gate
 * can accept are counted in bulk. Shared by `numa-balancing-tiering` and `numa-balancing` (modes 2
 * and 3), so both take the same decision on the same fault.
 */
export class TieringPromoter {
  // Per target node, created on its first fault (an array: a Map lookup per fault shows).
  private readonly gates: Array<TieringPromotionGate | undefined> = []
  private readonly gateParams: {
    hotThresholdMs: number
    rateLimitMBps: number
    scanPeriodMaxMs: number
  }
  // One request object for every fault: this runs hundreds of thousands of times per second.
  private readonly req = {
    nowMs: 0,
    scanTimeMs: 0,
    folioBytes: 0,
    targetFreeBytes: 0,
    targetPromoWmarkBytes: 0,
    targetPresentBytes: 0,
  }
  // The cutoff's terms, fixed for an epoch (faults are drawn at its start, before any is
  // delivered): whether a top-tier node has plenty of free memory, and each top-tier node's
  // bound (a node no fault reached yet has a fresh gate). Until the earliest possible
  // adjustment the cutoff is the highest base; after it, each gate's own bound counts.
  private readonly fresh: TieringPromotionGate
  private readonly topTier: number[] = []
  private boundEpoch = -1
  private nowMs = 0
  private anyFreeSpace = false
  private flatMs = 0
  private flatUntilMs = 0

  constructor(
    private readonly ctx: PolicyContext,
    private readonly k: TieringPromotionKnobs,
  ) {
    this.gateParams = {
      hotThresholdMs: k.hotThresholdMs,
      rateLimitMBps: k.rateLimitMBps,
      scanPeriodMaxMs: k.thresholdAutoAdjust ? k.scanPeriodMaxMs : Infinity,
    }
    this.req.folioBytes = ctx.pageBytes
    this.fresh = new TieringPromotionGate(this.gateParams)
    for (let n = 0; n < ctx.nodeCount; n++) if (ctx.isTopTier(n)) this.topTier.push(n)
  }

  private gateFor(node: number): TieringPromotionGate {
    let g = this.gates[node]
    if (!g) {
      g = new TieringPromotionGate(this.gateParams)
      this.gates[node] = g
    }
    return g
  }

  /** The threshold the auto-adjust settled on (nbp_threshold), highest over top-tier nodes, ms. */
  thresholdInForceMs(): number {
    let ms = 0
    for (const n of this.topTier) ms = Math.max(ms, (this.gates[n] ?? this.fresh).thresholdMs)
    return ms
  }

  private refreshBound(): void {
    const ctx = this.ctx
    this.boundEpoch = ctx.epoch
    this.nowMs = ctx.nowS * 1000
    this.anyFreeSpace = false
    this.flatMs = 0
    this.flatUntilMs = Infinity
    for (const n of this.topTier) {
      if (
        freeSpaceEnough(
          ctx.nodeFreeBytes(n),
          ctx.watermarks(n).promoBytes,
          ctx.nodeCapacityBytes(n),
        )
      )
        this.anyFreeSpace = true
      const g = this.gates[n] ?? this.fresh
      this.flatMs = Math.max(this.flatMs, g.boundBaseMs)
      this.flatUntilMs = Math.min(this.flatUntilMs, g.nextAdjustMs(this.nowMs))
    }
  }

  private maxThresholdMs(faultTimeMs: number): number {
    if (faultTimeMs <= this.flatUntilMs) return Math.min(this.k.hotThresholdMs * 2, this.flatMs)
    let cutoff = 0
    for (const n of this.topTier)
      cutoff = Math.max(
        cutoff,
        (this.gates[n] ?? this.fresh).maxThresholdMs(this.nowMs, faultTimeMs),
      )
    return cutoff
  }

  /**
   * A fault is rejected as cold when its latency reaches the threshold, unless the target has
   * plenty of free memory (then every fault promotes): no fault with a latency at or above the
   * highest threshold any target can have by then (TieringPromotionGate.maxThresholdMs) is ever
   * acted on. Valid only for a policy whose every fault goes through `shouldPromote`.
   */
  ignoredLatencyMs(faultTimeMs: number): number {
    if (this.boundEpoch !== this.ctx.epoch) this.refreshBound()
    return this.anyFreeSpace ? Infinity : this.maxThresholdMs(faultTimeMs)
  }

  /** Whether the fault's page should move to `target` (a top-tier node) now. */
  shouldPromote(fault: HintFault, target: number): boolean {
    const ctx = this.ctx
    const req = this.req
    req.nowMs = fault.faultTimeMs
    req.scanTimeMs = fault.scanTimeMs
    req.targetFreeBytes = ctx.nodeFreeBytes(target)
    req.targetPromoWmarkBytes = ctx.watermarks(target).promoBytes
    req.targetPresentBytes = ctx.nodeCapacityBytes(target)
    const verdict = this.gateFor(target).decide(req)
    return verdict === 'promote-hot' || verdict === 'promote-free-space'
  }
}
