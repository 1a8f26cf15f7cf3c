import { LruAging, MAX_AGE } from '../kernel'
import { demoteWatermarkBytes, NR_MAX_BATCHED_MIGRATION } from '../kernel'
import type { ReclaimConfig } from '../vocabulary'
import type { Rng } from '../rng'
import type { SimCore } from './core'
import { KERNEL, type Migrator } from './migration'
import { drawCheck, type AccessedBitModel } from './telemetry/accessed-bits'

/**
 * kswapd-like demotion (mm/vmscan.c [VMS]): a node whose free memory fell below its low
 * watermark (or whose kswapd a failed promotion woke [MIG]) demotes cold frames — the next ones
 * of a clock over accessed bits not referenced since their last check (kernel/lru-aging, CLOCK's
 * second chance) — to its demotion targets, a random preferred target per
 * batch (seeded), falling back to the slower tiers, until the high watermark (the promo watermark
 * in tiering mode) is free again. Demotion allocations never reclaim on the target
 * (GFP_NOWAIT, no __GFP_RECLAIM [VMS]): a target must stay above its min watermark. One kswapd
 * thread per node: its CPU time bounds the frames it can move per epoch. Accessed bits come from
 * the run's one accessed-bit model; demote_folio_list migrates a node's list in one call, so a
 * run pays the batched per-frame cost of its size [MIGOFF].
 */

export { ACCESSED_BIT_CHECK_S } from './telemetry/accessed-bits'
/** Frames per demotion batch (one random preferred target each). */
const DEMOTION_BATCH = 32
/**
 * Accessed-bit checks per frame wanted, at most, in one epoch; only when that many checks found
 * no unreferenced page does reclaim take referenced ones (its priority has run down).
 */
const CHECKS_PER_WANTED = 64

export class Kswapd {
  readonly lru: LruAging
  demoted = 0
  private readonly hands: Int32Array
  private cand = new Int32Array(1024)
  /** Keeps readAhead's loads from being optimised away. */
  private readAheadSink = 0
  private young = new Int32Array(1024)

  constructor(
    private readonly core: SimCore,
    private readonly migrator: Migrator,
    private readonly config: ReclaimConfig,
    private readonly bits: AccessedBitModel,
    private readonly rng: Rng,
  ) {
    this.lru = new LruAging(core.frames.count)
    this.hands = new Int32Array(core.N)
    this.budget = new Float64Array(core.N)
    this.demoteMarkBytes = new Float64Array(core.N)
    const scale = config.demoteScaleFactor
    if (scale !== undefined) {
      const nodes = core.m.nodes
      const total = nodes.reduce((s, n) => s + n.capacityBytes, 0)
      for (let n = 0; n < core.N; n++)
        if (core.topTierOf[n] === 1)
          this.demoteMarkBytes[n] = demoteWatermarkBytes(nodes[n].capacityBytes, total, scale)
    }
    migrator.kswapd = this
  }

  /** TPP's WMARK_DEMOTE per node (0 where none applies: not top tier, or no demote factor). */
  readonly demoteMarkBytes: Float64Array

  /** Frames each node's kswapd may still move this epoch (its CPU time bounds it). */
  private budgetEpoch = -1
  private readonly budget: Float64Array

  private refreshBudget(): void {
    const c = this.core
    if (this.budgetEpoch === c.epoch) return
    this.budgetEpoch = c.epoch
    const perFrameS = this.migrator.costS(NR_MAX_BATCHED_MIGRATION)
    this.budget.fill(Math.max(1, Math.floor(c.epochS / perFrameS)))
  }

  /** End of epoch: every node below its low watermark, or woken, is balanced. */
  run(): void {
    if (!this.config.demotionEnabled) return
    for (let n = 0; n < this.core.N; n++) this.runNode(n)
  }

  /**
   * Balances one node now. Called at the end of each epoch and, since kswapd runs concurrently
   * with the faulting tasks, right when a failed promotion wakes it (within this epoch's budget).
   */
  runNode(n: number): void {
    if (!this.config.demotionEnabled) return
    const c = this.core
    this.refreshBudget()
    const node = c.m.nodes[n]
    if (node.demotionFallback.length === 0 || node.capacityBytes <= 0) {
      c.kswapdWake[n] = 0
      return
    }
    const wm = node.watermarks
    const free = c.freeBytes(n)
    // TPP: a top-tier node below WMARK_DEMOTE is not balanced, so its kswapd runs proactively
    // (check_toptier_balanced) and demotes until the mark is free [TPP-P].
    const demoteMark = this.demoteMarkBytes[n]
    if (!c.kswapdWake[n] && free >= Math.max(wm.lowBytes, demoteMark)) return
    // Balanced means the mark plus a free block of the wanted order (zone_watermark_ok with the
    // folio's order, as wakeup_kswapd passes it [VMS][MIG]): mark + one frame.
    const mark = this.config.balanceTo === 'promo' ? wm.promoBytes : wm.highBytes
    const goal = Math.max(mark, demoteMark) + c.pageBytes
    const need = Math.min(this.budget[n], Math.ceil((goal - free) / c.pageBytes))
    if (need <= 0) {
      if (free >= goal) c.kswapdWake[n] = 0
      return
    }
    const cold = this.findCold(n, need, need * CHECKS_PER_WANTED)
    this.bits.charge(n, cold.checked)
    const costS = this.migrator.costS(cold.frames.length)
    this.readAhead(cold.frames)
    let moved = 0
    let target = -1
    for (let i = 0; i < cold.frames.length; i++) {
      const f = cold.frames[i]
      if (moved % DEMOTION_BATCH === 0 || !this.targetHasRoom(target)) target = this.pickTarget(n)
      if (target < 0) break
      // moveFrame also makes the frame young in the LRU.
      this.migrator.moveFrame(f, target, KERNEL, costS)
      moved++
    }
    this.budget[n] -= moved
    this.demoted += moved
    if (c.freeBytes(n) >= goal) c.kswapdWake[n] = 0
  }

  /**
   * The kernel helper's clock (LruAging) with the loop inlined and one hand per node: a check
   * reads and clears the accessed bit, an accessed frame becomes young (age 0), others age by one.
   * The walk stops at the `want`-th frame not accessed since its last check, so those frames go
   * in clock order (CLOCK's second chance; LruAging's oldest-first pick among more candidates
   * than wanted never applies here). Frames of other nodes are passed over unchecked.
   */
  private findCold(
    n: number,
    want: number,
    maxChecks: number,
  ): { frames: Int32Array; checked: number } {
    const c = this.core
    const fr = c.frames
    const F = fr.count
    const ages = this.lru.ages
    if (this.cand.length < want) {
      this.cand = new Int32Array(want)
      this.young = new Int32Array(want)
    }
    const cand = this.cand
    let young = 0
    let hand = this.hands[n]
    let checked = 0
    let walked = 0
    let found = 0
    const lo = c.nodeFrameLo[n]
    const hi = c.nodeFrameHi[n]
    // Node n's bitmap words are every N-th word from n (core.ts nodeBits).
    const bits = c.nodeBits
    const N = c.N
    const lastWord = hi >>> 5
    // Fast mode's check inputs, read once for the walk (they hold for the epoch).
    const fast = this.bits.fastChecks()
    while (checked < maxChecks && walked < F && found < want) {
      let f = hand
      if (f > hi || f < lo) {
        // No frame of node n lies outside [lo, hi]: pass over that stretch in one step.
        walked += f > hi ? F - f + lo : lo - f
        if (hi < lo || walked >= F) break
        f = lo
      }
      // The clock passes over other nodes' frames without a check: jump to the next frame of
      // node n by its bitmap, counting the frames passed as walked (a full turn ends the walk
      // where a frame-by-frame hand would have stopped).
      let w = f >>> 5
      let m = bits[w * N + n] & (~0 << (f & 31))
      while (m === 0 && w < lastWord) m = bits[++w * N + n]
      const g = m === 0 ? hi + 1 : (w << 5) + (31 - Math.clz32(m & -m))
      if (walked + (g - f) >= F) {
        hand = (f + (F - walked)) % F
        walked = F
        break
      }
      walked += g - f
      if (m === 0) {
        hand = g === F ? 0 : g
        continue
      }
      f = g
      hand = f + 1 === F ? 0 : f + 1
      walked++
      checked++
      const accessed =
        fast === null
          ? this.bits.test(f)
          : drawCheck(fast.checked, fast.weight, f, fast.epoch, fast.epochS, fast.scale, fast.rng)
      const age = accessed ? 0 : Math.min(MAX_AGE, ages[f] + 1)
      ages[f] = age
      if (age >= 1) cand[found++] = f
      else if (young < want) this.young[young++] = f
    }
    this.hands[n] = hand
    if (found < want) {
      // Every page checked was referenced: reclaim priority rises and referenced pages go too
      // (anon pages get no lasting second chance), so take young ones to make progress.
      for (let i = 0; i < young && found < want; i++) cand[found++] = this.young[i]
    }
    // The walk stopped at `want`, so every frame found goes.
    return { frames: cand.subarray(0, found), checked }
  }

  /**
   * The walk read the frames' ages and weights, not what a move reads next (state, last move):
   * read those for all of them first, so their cache misses overlap instead of each move
   * waiting for its own. The reads change nothing.
   */
  private readAhead(frames: Int32Array): void {
    const fr = this.core.frames
    const state = fr.state
    const lastMove = fr.lastMoveEpoch
    let touched = 0
    for (let i = 0; i < frames.length; i++) touched += state[frames[i]] + lastMove[frames[i]]
    this.readAheadSink = touched
  }

  private targetHasRoom(t: number): boolean {
    if (t < 0) return false
    const c = this.core
    return c.freeBytes(t) - c.pageBytes >= c.m.nodes[t].watermarks.minBytes
  }

  private pickTarget(n: number): number {
    const node = this.core.m.nodes[n]
    // A random preferred target with room, without building the list (once per batch).
    const targets = node.demotionTargets
    let withRoom = 0
    for (let i = 0; i < targets.length; i++) if (this.targetHasRoom(targets[i])) withRoom++
    if (withRoom > 0) {
      let k = this.rng.nextInt(withRoom)
      for (let i = 0; i < targets.length; i++)
        if (this.targetHasRoom(targets[i]) && k-- === 0) return targets[i]
    }
    for (const t of node.demotionFallback) if (this.targetHasRoom(t)) return t
    return -1
  }
}
