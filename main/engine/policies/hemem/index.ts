import { DEFAULT_MIGRATION_COST, migrationNsPerFrame } from '../../kernel'
import { definePolicy, type AccessSample, type PolicyContext } from '../api'
import { hememKnobs, type HememKnobs } from './knobs'
import { PageCounts } from './page-counts'

const MIB = 1024 * 1024

/**
 * HeMem (Raybuck et al., SOSP'21) [HEMEM]: a user-level library. PEBS samples count loads and
 * stores per page (page-counts.ts); a page whose loads or stores reach their hot threshold joins
 * its tier's hot list. A migration thread wakes every 10 ms and moves hot slow-tier pages up, in
 * hot-list order, until its per-pass budget of promoted bytes is spent; when the fast tier has no
 * free page it first moves a cold fast-tier page down (pebs.c `pebs_kswapd`). A page moved up or
 * down 3 times stays put. The thread copies the pages itself (HeMem's DMA copies block it), so
 * the moves happen within the pass, and the next pass waits until the copies are done.
 *
 * CPU: HeMem's threads are user threads, each pinned to a core of its own (pebs.c pins the
 * sampling and migration threads), so their time is charged as threads on the socket beside
 * the application's, not taken from the application's threads (the engine's kernel-thread
 * books: they compete with the process only when the socket's cores are all busy). The sampling
 * thread polls without sleeping: `scanThreadCores` of CPU all the time. The migration thread's
 * copies are charged by the engine's migration path. Each sample's own cost (the PEBS assist
 * and record) is charged to the sampled process by the engine, as for every sampling policy.
 *
 * Simplifications: the cold fast-tier page to evict is found by a clock hand over the frames
 * rather than a FIFO cold list; the target fast node is the socket node of the process whose
 * sample made the page hot (HeMem manages one DRAM device).
 */
export const hemem = definePolicy({
  id: 'hemem',
  name: 'HeMem',
  description:
    'User-level tiering (HeMem, SOSP 2021): PEBS-sampled load and store counts with hot thresholds and cooling, and a migration thread that promotes hot pages every 10 ms within a per-pass budget.',
  knobs: hememKnobs,
  subscriptions: (k) => ({ samples: { period: k.samplePeriod } }),
  // HeMem manages its memory itself; the kernel never demotes its pages.
  reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
  series: {
    hotSlowPages: {
      label: 'Hot pages waiting on the slow tier',
      unit: 'pages',
      better: 'lower',
    },
    passPromotedBytes: {
      label: 'Most bytes promoted by one pass in the epoch',
      unit: 'B',
      better: 'neutral',
    },
  },
  create: (k, ctx) => new HememState(k, ctx).instance(),
})

class HememState {
  private readonly counts: PageCounts
  private readonly fast: number[]
  private readonly homeFast: number[]
  private readonly targetOf: Int16Array
  /** nvm_hot_list: frames that became hot on the slow tier, with the stamp they had then. */
  private hotFrames: Int32Array = new Int32Array(1024)
  private hotStamps: Int32Array = new Int32Array(1024)
  private hotHead = 0
  private hotTail = 0
  /** Changes whenever a frame joins or leaves the hot list (stale entries are skipped). */
  private readonly stamp: Int32Array
  private readonly listed: Uint8Array
  private readonly ups: Uint8Array
  private readonly downs: Uint8Array
  private readonly stopped: Uint8Array
  private evictHand = 0
  private nextPassS = 0
  private busyUntilS = 0
  private passMaxBytes = 0
  private lastPromotedFrames = 0
  private readonly budgetFrames: number
  /** CPU seconds of one page copied by the migration thread (single-page moves). */
  private readonly moveS: number

  constructor(
    private readonly k: HememKnobs,
    private readonly ctx: PolicyContext,
  ) {
    const n = ctx.totalFrames
    this.counts = new PageCounts(n, k.hotReadThreshold, k.hotWriteThreshold, k.coolingThreshold)
    this.fast = []
    for (let i = 0; i < ctx.nodeCount; i++)
      if (ctx.isTopTier(i) && ctx.nodeCapacityBytes(i) > 0) this.fast.push(i)
    this.homeFast = ctx.processes.map((p) =>
      this.fast.includes(p.homeNode) ? p.homeNode : (this.fast[0] ?? -1),
    )
    this.targetOf = new Int16Array(n).fill(-1)
    this.stamp = new Int32Array(n)
    this.listed = new Uint8Array(n)
    this.ups = new Uint8Array(n)
    this.downs = new Uint8Array(n)
    this.stopped = new Uint8Array(n)
    this.budgetFrames = Math.max(1, Math.floor((k.passBudgetMB * MIB) / ctx.pageBytes))
    this.moveS = migrationNsPerFrame(DEFAULT_MIGRATION_COST, ctx.pageBytes, 1) * 1e-9
  }

  instance() {
    return {
      onSamples: (batch: readonly AccessSample[]) => this.onSamples(batch),
      onEpoch: () => this.onEpoch(),
    }
  }

  private onSamples(batch: readonly AccessSample[]): void {
    const ctx = this.ctx
    for (const s of batch) {
      const f = s.frame
      const hot = this.counts.add(f, s.write === true)
      this.targetOf[f] = this.homeFast[s.process]
      // make_hot: a slow-tier page joins nvm_hot_list once (fast-tier hot pages need no list).
      if (hot && this.listed[f] === 0 && !ctx.isTopTier(s.node)) this.list(f)
    }
  }

  private list(f: number): void {
    if (this.hotTail === this.hotFrames.length) {
      const live = this.hotTail - this.hotHead
      const cap =
        live * 2 > this.hotFrames.length ? this.hotFrames.length * 2 : this.hotFrames.length
      const frames = new Int32Array(cap)
      const stamps = new Int32Array(cap)
      frames.set(this.hotFrames.subarray(this.hotHead, this.hotTail))
      stamps.set(this.hotStamps.subarray(this.hotHead, this.hotTail))
      this.hotFrames = frames
      this.hotStamps = stamps
      this.hotHead = 0
      this.hotTail = live
    }
    this.listed[f] = 1
    this.stamp[f]++
    this.hotFrames[this.hotTail] = f
    this.hotStamps[this.hotTail++] = this.stamp[f]
  }

  private unlist(f: number): void {
    this.listed[f] = 0
    this.stamp[f]++
  }

  /** The next live entry of the hot list, or -1. */
  private popHot(): number {
    while (this.hotHead < this.hotTail) {
      const f = this.hotFrames[this.hotHead]
      const st = this.hotStamps[this.hotHead++]
      if (st === this.stamp[f] && this.listed[f] === 1) return f
    }
    this.hotHead = this.hotTail = 0
    return -1
  }

  private onEpoch(): void {
    const ctx = this.ctx
    this.passMaxBytes = 0
    const endS = ctx.nowS + ctx.epochS
    const stepS = this.k.passIntervalMs / 1000
    // Every pass due in this epoch (a pass interval shorter than the epoch runs several).
    while (this.nextPassS < endS - 1e-12) {
      const at = this.nextPassS
      this.nextPassS += stepS
      if (at < this.busyUntilS) continue
      const moved = this.pass()
      this.busyUntilS = at + moved * this.moveS
      this.passMaxBytes = Math.max(this.passMaxBytes, this.lastPromotedFrames * ctx.pageBytes)
    }
    if (this.k.scanThreadCores > 0 && this.fast.length > 0)
      ctx.chargeCpu(this.k.scanThreadCores * ctx.epochS, { kernelNode: this.fast[0] })
    ctx.publish('hotSlowPages', this.hotTail - this.hotHead)
    ctx.publish('passPromotedBytes', this.passMaxBytes)
  }

  /** One `pebs_kswapd` pass; returns the pages it moved (up and down). */
  private pass(): number {
    const ctx = this.ctx
    let promoted = 0
    let moved = 0
    while (promoted < this.budgetFrames) {
      const f = this.popHot()
      if (f < 0) break
      const node = ctx.frameNode(f)
      this.unlist(f)
      // Cooled since it was listed, moved meanwhile, or freed: no longer a candidate.
      if (node < 0 || ctx.isTopTier(node) || !this.counts.hot(f)) continue
      if (this.stopped[f] === 1) continue
      const lim = this.k.migrationStopThreshold
      if (this.ups[f] >= lim || this.downs[f] >= lim) {
        this.stopped[f] = 1
        continue
      }
      const target = this.targetOf[f] >= 0 ? this.targetOf[f] : this.fast[0]
      if (target === undefined || target < 0) break
      // No free fast page: move cold ones down until there is one. HeMem's own free list needs
      // one; the engine's migrations also keep the high watermark free [MIG], so after an
      // allocation burst took the node below it, the first promotion may take several.
      let made = true
      while (!this.hasRoom(target)) {
        const victim = this.coldVictim(target)
        const down = victim < 0 ? -1 : this.roomyBelow(target)
        if (victim < 0 || down < 0 || ctx.migrate(victim, down, 'sync') !== 'migrated') {
          made = false
          break
        }
        this.downs[victim]++
        moved++
      }
      if (!made || ctx.migrate(f, target, 'sync') !== 'migrated') {
        // Every fast page is hot, or there is nowhere to put a cold one: keep it listed, stop.
        this.list(f)
        break
      }
      this.ups[f]++
      promoted++
      moved++
    }
    this.lastPromotedFrames = promoted
    return moved
  }

  private hasRoom(node: number): boolean {
    const ctx = this.ctx
    return ctx.nodeFreeBytes(node) - ctx.pageBytes >= ctx.watermarks(node).highBytes
  }

  /** A cold page on `node` (dram_cold_list), by a clock hand over the frames; -1 if none. */
  private coldVictim(node: number): number {
    const ctx = this.ctx
    const total = ctx.totalFrames
    for (let i = 0; i < total; i++) {
      const f = this.evictHand
      this.evictHand = f + 1 === total ? 0 : f + 1
      if (ctx.frameNode(f) !== node || this.stopped[f] === 1) continue
      if (!this.counts.hot(f)) return f
    }
    return -1
  }

  /** A slower node below `node` with room for one more page. */
  private roomyBelow(node: number): number {
    const ctx = this.ctx
    const targets = ctx.analysis.demotionTargets[String(node)] ?? []
    const fallback = ctx.analysis.demotionFallback[String(node)] ?? []
    for (const t of [...targets, ...fallback]) if (this.hasRoom(t)) return t
    return -1
  }
}
