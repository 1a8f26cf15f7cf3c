import type { PolicyContext } from '../api'
import type { AccessHistogram } from './histogram'
import type { MemtisKnobs } from './knobs'
import { BasePagePass } from './base-page-pass'
import type { HugePageSplitter } from './splitter'

const MIB = 1024 * 1024
/** Memtis's kernel threads (one promoting into, one demoting from each fast node). */
const THREAD = 'kmigraterd'

/**
 * One wake-up of Memtis's kmigraterd threads [MEMTIS] (linux/mm/htmm_migrater.c). For each fast
 * (top-tier) node: `kmigraterd_demotion` demotes pages below the warm threshold when the node's
 * pages plus the hot pages waiting below plus the promotion headroom exceed it
 * (`need_toptier_demotion`; with nothing waiting it keeps only the smaller demotion headroom);
 * `kmigraterd_promotion` promotes hot pages (at or above the threshold) into the room left
 * above the headroom (`promotion_available`). Both queue on the engine's asynchronous migration
 * threads, so the room a demotion makes is used by the next wake-up, as the two threads do.
 */
export class MigrationPass {
  private readonly fast: number[]
  /** Fast node a frame is promoted to: the socket node of the process that last sampled it. */
  private readonly targetOf: Int16Array
  private readonly homeFast: number[]
  private demoteHand = 0
  private readonly pb: number
  /** Base pages of split huge pages (hugePageSplit), placed after the frames at each wake-up. */
  private readonly basePages: BasePagePass | null

  constructor(
    private readonly ctx: PolicyContext,
    private readonly hist: AccessHistogram,
    private readonly k: MemtisKnobs,
    private readonly splitter: HugePageSplitter | null = null,
  ) {
    this.pb = ctx.pageBytes
    this.fast = []
    for (let n = 0; n < ctx.nodeCount; n++)
      if (ctx.isTopTier(n) && ctx.nodeCapacityBytes(n) > 0) this.fast.push(n)
    this.targetOf = new Int16Array(ctx.totalFrames).fill(-1)
    this.homeFast = ctx.processes.map((p) =>
      this.fast.includes(p.homeNode) ? p.homeNode : (this.fast[0] ?? -1),
    )
    this.basePages = splitter ? new BasePagePass(ctx, splitter, THREAD) : null
  }

  noteSampler(frame: number, process: number): void {
    this.targetOf[frame] = this.homeFast[process]
  }

  /** `get_memcg_promotion_watermark`: 3 % of the node, clamped to 100..1500 MB, in frames. */
  private headroomFrames(node: number): number {
    const cap = this.ctx.nodeCapacityBytes(node)
    const bytes = Math.min(
      Math.max((cap * this.k.headroomPct) / 100, this.k.headroomMinMB * MIB),
      this.k.headroomMaxMB * MIB,
    )
    return Math.ceil(bytes / this.pb)
  }

  /** `get_memcg_demotion_watermark`: 2 % clamped to 50..1000 MB, i.e. 2/3 of the above's terms. */
  private demotionHeadroomFrames(node: number): number {
    const cap = this.ctx.nodeCapacityBytes(node)
    const bytes = Math.min(
      Math.max((cap * this.k.headroomPct * 2) / 3 / 100, (this.k.headroomMinMB * MIB) / 2),
      (this.k.headroomMaxMB * MIB * 2) / 3,
    )
    return Math.ceil(bytes / this.pb)
  }

  /** Fast-tier frames the hot set may take (`max_nr_dram_pages` less the promotion headroom). */
  hotCapacityFrames(): number {
    let f = 0
    for (const n of this.fast)
      f += Math.max(0, Math.floor(this.ctx.nodeCapacityBytes(n) / this.pb) - this.headroomFrames(n))
    return f
  }

  /**
   * One wake-up. Returns whether a demotion freed less than the hot pages waiting below needed:
   * then Memtis drops the warm band until the next adaptation (`demote_node` sets warm_threshold
   * to active_threshold), so warm pages may go at the next wake-up.
   */
  run(activeBin: number, warmBin: number): boolean {
    const ctx = this.ctx
    if (this.fast.length === 0) return false
    // Hot pages below the fast tier, per the fast node they go to (the lower tiers' active LRU).
    const waiting = new Map<number, number[]>()
    for (const f of this.hist.sampledFrames()) {
      if (this.hist.bin(f) < activeBin) continue
      const node = ctx.frameNode(f)
      if (node < 0 || ctx.isTopTier(node)) continue
      const t = this.targetOf[f]
      if (t < 0) continue
      let list = waiting.get(t)
      if (!list) waiting.set(t, (list = []))
      list.push(f)
    }
    let short = false
    for (const n of this.fast) {
      const hot = waiting.get(n) ?? []
      const { need, done } = this.demote(n, hot.length, warmBin)
      if (hot.length > 0 && done < Math.min(need, hot.length)) short = true
      this.promote(n, hot)
      if (this.basePages) {
        const room = this.roomFrames(n) * this.pb
        const need =
          this.usedFrames(n) +
          this.headroomFrames(n) -
          Math.floor(ctx.nodeCapacityBytes(n) / this.pb)
        this.basePages.run(
          n,
          activeBin,
          warmBin,
          room,
          need * this.pb,
          (f) => this.targetOf[f],
          (t) => this.roomyNode(t),
        )
      }
    }
    return short
  }

  /** Frames on `node` now or on their way there, less those on their way out. */
  private usedFrames(node: number): number {
    const ctx = this.ctx
    let leaving = 0
    for (const t of ctx.analysis.demotionTargets[String(node)] ?? []) leaving += ctx.queuedToNode(t)
    return ctx.nodeUsedBytes(node) / this.pb + ctx.queuedToNode(node) - leaving
  }

  private demote(
    node: number,
    hotWaiting: number,
    warmBin: number,
  ): { need: number; done: number } {
    const ctx = this.ctx
    const cap = Math.floor(ctx.nodeCapacityBytes(node) / this.pb)
    const used = this.usedFrames(node)
    const need = Math.ceil(
      hotWaiting > 0
        ? used + hotWaiting + this.headroomFrames(node) - cap
        : used + this.demotionHeadroomFrames(node) - cap,
    )
    if (need <= 0) return { need: 0, done: 0 }
    const targets = ctx.analysis.demotionTargets[String(node)] ?? []
    if (targets.length === 0) return { need, done: 0 }
    // A clock hand over the frames stands for the inactive LRU's tail.
    const total = ctx.totalFrames
    let done = 0
    for (let i = 0; i < total && done < need; i++) {
      const f = this.demoteHand
      this.demoteHand = this.demoteHand + 1 === total ? 0 : this.demoteHand + 1
      if (ctx.frameNode(f) !== node || this.hist.bin(f) >= warmBin) continue
      // A split huge page's base pages are placed one by one (base-page-pass.ts).
      if (this.splitter && ctx.isSplit?.(f)) continue
      const t = this.roomyNode(targets)
      if (t < 0) break
      const out = ctx.migrate(f, t, 'async', { kernelThread: THREAD })
      if (out === 'queued' || out === 'migrated') done++
    }
    return { need, done }
  }

  private promote(node: number, hot: number[]): void {
    const ctx = this.ctx
    if (hot.length === 0) return
    const room = Math.floor(this.roomFrames(node))
    for (let i = 0; i < hot.length && i < room; i++)
      ctx.migrate(hot[i], node, 'async', { kernelThread: THREAD })
  }

  /** Frames the node may still take: above the promotion headroom and the high watermark. */
  private roomFrames(node: number): number {
    const ctx = this.ctx
    const cap = Math.floor(ctx.nodeCapacityBytes(node) / this.pb)
    const byHeadroom = cap - this.headroomFrames(node) - this.usedFrames(node)
    // The engine's own gate: a migration needs the high watermark free [MIG].
    const byWatermark =
      (ctx.nodeFreeBytes(node) - ctx.watermarks(node).highBytes) / this.pb - ctx.queuedToNode(node)
    return Math.min(byHeadroom, byWatermark)
  }

  /** A demotion target with room above its high watermark, counting what is queued to it. */
  private roomyNode(targets: readonly number[]): number {
    const ctx = this.ctx
    for (const t of targets) {
      const free = ctx.nodeFreeBytes(t) - (ctx.queuedToNode(t) + 1) * this.pb
      if (free >= ctx.watermarks(t).highBytes) return t
    }
    return -1
  }
}
