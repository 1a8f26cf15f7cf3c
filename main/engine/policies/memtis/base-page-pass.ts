import type { PolicyContext } from '../api'
import { memtisBin } from './histogram'
import type { HugePageSplitter } from './splitter'

const BASE_PAGE_BYTES = 4096

/**
 * kmigraterd's wake-up for the base pages of split huge pages [MEMTIS] (linux/mm/htmm_migrater.c):
 * once split they are pages of their own on the LRU lists, so a hot one (its counter at or above
 * the hot threshold) on a lower tier is promoted into the room left above the headroom, and when
 * hot base pages wait and the fast node is short, cold ones (below the warm threshold) are
 * demoted first — what splitting a skewed huge page is for. Moves are batched per split frame
 * (one `migrateBasePages` call each), on the kmigraterd thread.
 */
export class BasePagePass {
  constructor(
    private readonly ctx: PolicyContext,
    private readonly splitter: HugePageSplitter,
    private readonly thread: string,
  ) {}

  /**
   * Fast node `node`: `roomBytes` it may still take, `shortBytes` it lacks for its headroom before
   * any hot base page moves up (≤ 0: none), the promotion target of each frame and a demotion
   * target with room.
   */
  run(
    node: number,
    activeBin: number,
    warmBin: number,
    roomBytes: number,
    shortBytes: number,
    targetOf: (f: number) => number,
    demotionTarget: (targets: readonly number[]) => number,
  ): void {
    const ctx = this.ctx
    const migrate = ctx.migrateBasePages
    const where = ctx.basePageNode
    if (!migrate || !where || this.splitter.split.length === 0) return
    const up: Array<{ f: number; pages: number[] }> = []
    let waitingBytes = 0
    for (const f of this.splitter.split) {
      if (targetOf(f) !== node) continue
      const c = this.splitter.sub.get(f)
      if (!c) continue
      const pages: number[] = []
      for (let b = 0; b < c.length; b++) {
        if (memtisBin(c[b]) < activeBin) continue
        const n = where.call(ctx, f, b)
        if (n >= 0 && !ctx.isTopTier(n)) pages.push(b)
      }
      if (pages.length > 0) {
        up.push({ f, pages })
        waitingBytes += pages.length * BASE_PAGE_BYTES
      }
    }
    if (up.length === 0) return
    // Demote cold base pages of split frames on this node until the hot ones waiting fit.
    let need = shortBytes + waitingBytes
    const targets = ctx.analysis.demotionTargets[String(node)] ?? []
    for (let i = 0; i < this.splitter.split.length && need > 0 && targets.length > 0; i++) {
      const f = this.splitter.split[i]
      const c = this.splitter.sub.get(f)
      const pages: number[] = []
      for (let b = 0; b < (c?.length ?? 0) && need > pages.length * BASE_PAGE_BYTES; b++)
        if (memtisBin(c ? c[b] : 0) < warmBin && where.call(ctx, f, b) === node) pages.push(b)
      if (pages.length === 0) continue
      const t = demotionTarget(targets)
      if (t < 0) break
      const out = migrate.call(ctx, f, pages, t, 'async', { kernelThread: this.thread })
      if (out === 'migrated') {
        need -= pages.length * BASE_PAGE_BYTES
        roomBytes += pages.length * BASE_PAGE_BYTES
      }
    }
    for (const { f, pages } of up) {
      const fit = Math.floor(roomBytes / BASE_PAGE_BYTES)
      if (fit <= 0) break
      const batch = pages.length > fit ? pages.slice(0, fit) : pages
      const out = migrate.call(ctx, f, batch, node, 'async', { kernelThread: this.thread })
      if (out === 'migrated') roomBytes -= batch.length * BASE_PAGE_BYTES
      else if (out === 'no-memory') break
    }
  }
}
