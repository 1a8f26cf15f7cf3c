import { migrationNsPerFrame } from '../kernel'
import { BASE_PAGE_BYTES, frameBaseMasses } from '../workload'
import type { Rng } from '../rng'
import type { MigrateOptions, MigrationMode, MigrationOutcome, SplitOutcome } from '../vocabulary'
import type { SimCore } from './core'
import { CPU } from './cpu-ledger'
import { UNALLOCATED } from './frames'
import { KERNEL, type Migrator } from './migration'
import { REMAP_CPU_SHARE } from './shadow-copies'

/**
 * Huge-page split (split_huge_page, as Memtis [MEMTIS] uses it): a split frame's base pages can
 * live on different nodes. Sparse: one record per split frame, in a Map, and nothing at all until
 * the first split (SimCore.splits stays null, so every hook is one null test).
 *
 * A record holds the node of each base page that left the frame (HOME: still with it, i.e. on
 * frames.node[f], and moving with the frame when it moves whole). The frame stays the unit of
 * everything else (page table, telemetry, kswapd), and its accounting is corrected:
 * - capacity: SimCore.splitBytes carries the bytes base pages moved away, per node (the frame's
 *   node counts the whole frame in usedFrames, so it gets −bytes and the holders +bytes);
 * - accesses: the per-(process, node) masses (hit ratio, loaded latency and bandwidth all come
 *   from them) move each base page's access probability to its node, computed from base-page
 *   hotness (workload/base-pages.ts) when the record changes and at every rebuild of the masses;
 * - exact mode and samples: an access to a split frame is on the node of its base page.
 */

/** A base page still with its frame. */
const HOME = 255

interface SplitRecord {
  /** Node of each base page that left the frame, HOME for the others (address order). */
  readonly nodeOf: Uint8Array
  /** Base pages of the frame (the last frame of a region may have fewer than pagesPerFrame). */
  readonly count: number
  /** Base pages not with the frame. */
  away: number
  /** Bytes this record added to SimCore.splitBytes, per node (undone before every change). */
  readonly bytesApplied: Float64Array
  /** Mass this record moved between nodes, per (process, node) (undone likewise). */
  readonly massApplied: Float64Array
  /** Each process's access probability of the frame per node, for exact mode's draws. */
  readonly massOn: Float64Array
}

export class SplitFrames {
  private readonly recs = new Map<number, SplitRecord>()
  private scratch: Float64Array | null = null
  /** Frames split and base pages moved, run totals. */
  splits = 0
  basePageMoves = 0

  constructor(
    private readonly core: SimCore,
    private readonly migrator: Migrator,
    private readonly rng: Rng,
  ) {}

  isSplit(f: number): boolean {
    return this.recs.has(f)
  }

  /** Node of base page `b` of frame f (its frame's node unless it was moved on its own). */
  nodeOf(f: number, b: number): number {
    const node = this.core.frames.node[f]
    const r = this.recs.get(f)
    if (!r || node === UNALLOCATED) return node
    const n = r.nodeOf[b]
    return n === HOME ? node : n
  }

  /**
   * Splits a 2 MiB frame into its base pages, in place (nothing moves). The unmap and remap of
   * split_huge_page are charged like a migration's work without its copy (REMAP_CPU_SHARE of one
   * frame's migration; an estimate), to the kernel thread on the frame's node.
   */
  split(f: number): SplitOutcome {
    const c = this.core
    if (!(Number.isInteger(f) && f >= 0 && f < c.frames.count)) return 'not-allocated'
    const node = c.frames.node[f]
    if (node === UNALLOCATED) return 'not-allocated'
    const region = c.w.regions[c.regionOf(f)]
    if (region.pagesPerFrame <= 1) return 'not-huge'
    if (this.recs.has(f)) return 'already-split'
    const first = (f - region.frameStart) * region.pagesPerFrame
    const count = Math.min(region.pagesPerFrame, region.basePages - first)
    this.recs.set(f, {
      nodeOf: new Uint8Array(region.pagesPerFrame).fill(HOME),
      count,
      away: 0,
      bytesApplied: new Float64Array(c.N),
      massApplied: new Float64Array(c.P * c.N),
      massOn: new Float64Array(c.P * c.N),
    })
    this.apply(f)
    c.splits = this
    this.splits++
    c.cpu.toKernel(node, this.migrator.singleS * REMAP_CPU_SHARE, CPU.migration)
    return 'split'
  }

  /**
   * Moves base pages of a split frame to `target`, now, each batch at the kernel's per-4 KiB
   * migration cost [MIGOFF] (sync: the faulting thread of `chargeProcess` pays; async: the
   * target's kernel thread, not through the migration queue). All or nothing: the target must
   * keep its high watermark plus the bytes free [MIG], else 'no-memory' and kswapd is woken.
   */
  moveBasePages(
    f: number,
    pages: readonly number[],
    target: number,
    mode: MigrationMode,
    opts?: number | MigrateOptions,
  ): MigrationOutcome {
    const c = this.core
    const r = this.recs.get(f)
    if (!r) throw new Error(`migrateBasePages: frame ${f} is not split; split it first`)
    if (!(target >= 0 && target < c.N) || c.m.nodes[target].capacityBytes <= 0)
      return 'not-migratable'
    const home = c.frames.node[f]
    if (home === UNALLOCATED) return 'not-allocated'
    const moving: number[] = []
    for (const b of pages) {
      if (!(Number.isInteger(b) && b >= 0 && b < r.count))
        throw new Error(
          `migrateBasePages: base page ${b} is not in frame ${f} (it has 0..${r.count - 1})`,
        )
      const n = r.nodeOf[b] === HOME ? home : r.nodeOf[b]
      if (n !== target && !moving.includes(b)) moving.push(b)
    }
    if (moving.length === 0) return 'same-node'
    const bytes = moving.length * BASE_PAGE_BYTES
    if (c.freeBytes(target) - bytes < c.m.nodes[target].watermarks.highBytes)
      return this.migrator.noMemory(target)
    this.unapply(r)
    // Bytes per source node, charged and counted per source (each is one batched call).
    const fromNode = new Map<number, number>()
    for (const b of moving) {
      const src = r.nodeOf[b] === HOME ? home : r.nodeOf[b]
      fromNode.set(src, (fromNode.get(src) ?? 0) + 1)
      r.nodeOf[b] = target === home ? HOME : target
    }
    this.apply(f)
    const o = typeof opts === 'number' ? { chargeProcess: opts } : (opts ?? {})
    const payer = mode === 'sync' && o.chargeProcess !== undefined ? o.chargeProcess : KERNEL
    const perPageS =
      migrationNsPerFrame(this.migrator.costTable, BASE_PAGE_BYTES, moving.length) * 1e-9
    for (const [src, k] of fromNode) {
      const b = k * BASE_PAGE_BYTES
      c.counters.migratedBytes += b
      c.migratedToNodeBytes[target] += b
      // Promotions and demotions count pages moved, here 4 KiB ones (as pgpromote_success does).
      if (c.tierOrdinal[target] < c.tierOrdinal[src]) {
        c.counters.promotions += k
        c.counters.promotedBytes += b
      } else if (c.tierOrdinal[target] > c.tierOrdinal[src]) {
        c.counters.demotions += k
        c.counters.demotedBytes += b
      }
      this.migrator.charge(payer, target, perPageS * k, src, b)
    }
    this.basePageMoves += moving.length
    return 'migrated'
  }

  /** Bytes a whole-frame move of f copies: the base pages still with it. */
  bytesWithFrame(f: number): number {
    const r = this.recs.get(f)
    return r ? (r.count - r.away) * BASE_PAGE_BYTES : this.core.pageBytes
  }

  /** After the frame moved whole: the base pages still with it went along. */
  frameMoved(f: number): void {
    const r = this.recs.get(f)
    if (!r) return
    this.unapply(r)
    const home = this.core.frames.node[f]
    for (let b = 0; b < r.count; b++) if (r.nodeOf[b] === home) r.nodeOf[b] = HOME
    this.apply(f)
  }

  /** The masses were rebuilt from scratch (every frame's on its node): redo each correction. */
  massesRebuilt(): void {
    for (const [f, r] of this.recs) {
      r.massApplied.fill(0)
      this.applyMass(f, r)
    }
  }

  /** Exact mode: the node of process p's access to split frame f, drawn by base-page mass. */
  drawNode(f: number, p: number): number {
    const c = this.core
    const r = this.recs.get(f)
    const home = c.frames.node[f]
    if (!r || r.away === 0) return home
    let total = 0
    for (let n = 0; n < c.N; n++) total += r.massOn[p * c.N + n]
    if (!(total > 0)) return home
    let u = this.rng.next() * total
    for (let n = 0; n < c.N; n++) if ((u -= r.massOn[p * c.N + n]) < 0) return n
    return home
  }

  private unapply(r: SplitRecord): void {
    const c = this.core
    for (let n = 0; n < c.N; n++) c.splitBytes[n] -= r.bytesApplied[n]
    for (let i = 0; i < r.massApplied.length; i++) c.mass[i] -= r.massApplied[i]
    r.bytesApplied.fill(0)
    r.massApplied.fill(0)
  }

  private apply(f: number): void {
    const c = this.core
    const r = this.recs.get(f) as SplitRecord
    const home = c.frames.node[f]
    r.away = 0
    for (let b = 0; b < r.count; b++) {
      const n = r.nodeOf[b]
      if (n === HOME) continue
      r.away++
      r.bytesApplied[n] += BASE_PAGE_BYTES
      r.bytesApplied[home] -= BASE_PAGE_BYTES
    }
    for (let n = 0; n < c.N; n++) c.splitBytes[n] += r.bytesApplied[n]
    this.applyMass(f, r)
  }

  /**
   * Each process's probability of the frame, per node of its base pages (the same base-page
   * masses whose sum is the frame's probability in SimCore.mass), moved off the frame's node.
   */
  private applyMass(f: number, r: SplitRecord): void {
    const c = this.core
    const N = c.N
    const home = c.frames.node[f]
    const region = c.regionOf(f)
    const P = c.w.regions[region].pagesPerFrame
    if (!this.scratch || this.scratch.length < P) this.scratch = new Float64Array(P)
    const s = this.scratch
    r.massOn.fill(0)
    for (const p of c.procsOfRegion[region] ?? []) {
      for (const a of c.w.processes[p].phases[c.procPhase[p]].accessesByRegion[region]) {
        const k = frameBaseMasses(c.w, a, f, c.nowS, s)
        for (let b = 0; b < k; b++) {
          const n = r.nodeOf[b] === HOME ? home : r.nodeOf[b]
          const m = a.share * s[b]
          r.massOn[p * N + n] += m
          if (n !== home) {
            r.massApplied[p * N + n] += m
            r.massApplied[p * N + home] -= m
          }
        }
      }
    }
    for (let i = 0; i < r.massApplied.length; i++) c.mass[i] += r.massApplied[i]
  }
}
