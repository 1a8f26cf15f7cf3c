import { migrationThroughputGBps } from '../kernel'
import type { Rng } from '../rng'
import type { ShadowCopyStats } from '../vocabulary'
import type { SimCore } from './core'

/**
 * Non-exclusive tiering (NOMAD, Xiang et al., OSDI'24 [NOMAD]): a page promoted with
 * `keepShadow` leaves its old copy on the slow node as a shadow instead of freeing it. While the
 * page stays clean the shadow is valid, so demoting it back to that node is a remap: no copy, no
 * traffic, only the unmap/remap work of a migration. The first write to the page (a write-protect
 * fault in NOMAD) invalidates and frees the shadow; from then on a demotion copies.
 * Promotions asked asynchronously are transactional (NOMAD's TPM): the copy runs while the page
 * stays mapped and the move aborts when the page was written during the copy.
 *
 * Shadows are memory: they count against their node's free memory (SimCore.shadowFrames), and at
 * each epoch's end a node below its high watermark frees shadows until it is above it again
 * (NOMAD reclaims shadow pages first under pressure). Writes: fast mode draws, per shadowed frame
 * and epoch, whether a write came (its write rate is the frame's access rate × the region's write
 * fraction, or its processes' mean); exact mode draws each drawn access as a write by that
 * fraction. All draws use the run's 'shadows' stream, so runs without shadows draw nothing.
 */

const NONE = 255
/** Pending request of a frame: keep a shadow when it is next promoted; and transactionally. */
const KEEP = 1
const TRANSACTIONAL = 2
/**
 * CPU share of a migration that a remap still costs: all but the copy, which is 35 % of a batched
 * 4 KiB migration [MIGOFF] (kernel/migration-cost.ts); an estimate for other page sizes.
 */
export const REMAP_CPU_SHARE = 0.65

export type MoveVerdict = 'copy' | 'remap' | 'abort'

export class ShadowCopies {
  /** Node of each frame's valid shadow, NONE when it has none (allocated on first use). */
  private shadowNode: Uint8Array | null = null
  private pending: Uint8Array | null = null
  /** Shadowed frames, dense, and each frame's index in the list. */
  private list = new Int32Array(1024)
  private pos: Int32Array | null = null
  private count = 0
  readonly totals: ShadowCopyStats = {
    shadowBytes: 0,
    writeInvalidations: 0,
    freeDemotions: 0,
    demotionCopyBytes: 0,
    abortedPromotions: 0,
    reclaimedShadows: 0,
  }

  constructor(
    private readonly core: SimCore,
    private readonly rng: Rng,
  ) {}

  /** Whether any frame ever asked for a shadow (every hook returns at once until then). */
  get active(): boolean {
    return this.pending !== null
  }

  /** The next promotion of `f` keeps a shadow; transactional when it is asynchronous. */
  request(f: number, transactional: boolean): void {
    const n = this.core.frames.count
    if (!this.pending) {
      this.pending = new Uint8Array(n)
      this.shadowNode = new Uint8Array(n).fill(NONE)
      this.pos = new Int32Array(n)
    }
    this.pending[f] = KEEP | (transactional ? TRANSACTIONAL : 0)
  }

  /**
   * Before `f` moves from `src` to `target`: a clean shadow on the target makes the move a remap
   * (any other move frees the shadow); a transactional promotion aborts when a write lands during
   * its copy (the page's bytes at move_pages' copy rate [MIGOFF]).
   */
  beforeMove(f: number, src: number, target: number): MoveVerdict {
    const c = this.core
    if (!this.active) {
      if (c.tierOrdinal[target] > c.tierOrdinal[src]) this.totals.demotionCopyBytes += c.pageBytes
      return 'copy'
    }
    const shadow = this.shadowNode![f]
    if (shadow !== NONE) {
      this.drop(f)
      if (shadow === target) {
        this.totals.freeDemotions++
        return 'remap'
      }
    }
    const promotion = c.tierOrdinal[target] < c.tierOrdinal[src]
    if (promotion && this.pending![f] & TRANSACTIONAL) {
      const copyS = c.pageBytes / (migrationThroughputGBps(c.pageBytes) * 1e9)
      if (this.rng.next() < 1 - Math.exp(-this.writeRate(f) * copyS)) {
        this.pending![f] = 0
        this.totals.abortedPromotions++
        return 'abort'
      }
    }
    if (c.tierOrdinal[target] > c.tierOrdinal[src]) this.totals.demotionCopyBytes += c.pageBytes
    return 'copy'
  }

  /** After a copying move: a requested promotion leaves the old copy as the shadow. */
  afterMove(f: number, src: number, target: number): void {
    const c = this.core
    if (!this.active || !(this.pending![f] & KEEP) || c.tierOrdinal[target] >= c.tierOrdinal[src])
      return
    this.pending![f] = 0
    this.shadowNode![f] = src
    c.shadowFrames[src]++
    if (this.count === this.list.length) {
      const grown = new Int32Array(this.list.length * 2)
      grown.set(this.list)
      this.list = grown
    }
    this.pos![f] = this.count
    this.list[this.count++] = f
  }

  /** Fast mode, once per epoch: the writes each shadowed page received invalidate its shadow. */
  epochWrites(): void {
    if (!this.active) return
    const c = this.core
    for (let i = this.count - 1; i >= 0; i--) {
      const f = this.list[i]
      const rate = this.writeRate(f)
      if (rate > 0 && this.rng.next() < 1 - Math.exp(-rate * c.epochS)) this.invalidate(f)
    }
  }

  /** Exact mode: a drawn access of process p to f is a write by the write fraction. */
  access(f: number, p: number): void {
    if (!this.active || this.shadowNode![f] === NONE) return
    const c = this.core
    const region = c.w.regions[c.regionOf(f)]
    const wf = region.writeFraction ?? c.w.processes[p].writeFraction
    if (wf > 0 && this.rng.next() < wf) this.invalidate(f)
  }

  /** Epoch end: nodes below their high watermark free shadows, latest list entries first. */
  balance(): void {
    if (!this.active || this.count === 0) return
    const c = this.core
    let pressured = false
    for (let n = 0; n < c.N; n++)
      if (c.shadowFrames[n] > 0 && c.freeBytes(n) < c.m.nodes[n].watermarks.highBytes)
        pressured = true
    if (pressured)
      for (let i = this.count - 1; i >= 0; i--) {
        const f = this.list[i]
        const n = this.shadowNode![f]
        if (c.freeBytes(n) >= c.m.nodes[n].watermarks.highBytes) continue
        this.drop(f)
        this.totals.reclaimedShadows++
      }
  }

  /** Run totals, with the bytes held now. */
  stats(): ShadowCopyStats {
    let frames = 0
    for (let n = 0; n < this.core.N; n++) frames += this.core.shadowFrames[n]
    this.totals.shadowBytes = frames * this.core.pageBytes
    return { ...this.totals }
  }

  /** Per-frame bytes the shadow map keeps once used. */
  bytesPerFrame(): number {
    return this.active ? 1 + 1 + 4 + this.list.byteLength / this.core.frames.count : 0
  }

  private invalidate(f: number): void {
    this.drop(f)
    this.totals.writeInvalidations++
  }

  private drop(f: number): void {
    const node = this.shadowNode![f]
    if (node === NONE) return
    this.shadowNode![f] = NONE
    this.core.shadowFrames[node]--
    const i = this.pos![f]
    const last = this.list[--this.count]
    this.list[i] = last
    this.pos![last] = i
  }

  /** Writes/s to frame f now: its access rate × its region's write fraction. */
  private writeRate(f: number): number {
    const c = this.core
    const r = c.regionOf(f)
    const region = c.w.regions[r]
    let wf = region.writeFraction
    if (wf === null) {
      const procs = c.procsOfRegion[r] ?? []
      wf = 0
      for (const p of procs) wf += c.w.processes[p].writeFraction / procs.length
    }
    return wf > 0 ? c.frames.weight[f] * c.allRateScale * wf : 0
  }
}
