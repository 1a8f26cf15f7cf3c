import type { HintFault, HintFaultSubscription } from '../../policies/api'
import { KERNEL_PAGE_BYTES, taskScanStartMs, VIRTUAL_SCAN_FACTOR } from '../../kernel'
import type { Rng } from '../../rng'
import type { SimCore } from '../core'
import { FaultCalendar } from './fault-calendar'
import { bumpSeq, F_PROT_NONE, NODE_SHIFT, SEQ_MASK, SEQ_SHIFT, UNALLOCATED } from '../frames'

/**
 * NUMA-hint faults from a page-table scanner (kernel/sched/fair.c task_numa_work [FAIR],
 * mm/mprotect.c [MPROT]). Each CPU process scans its address space (its regions in order) one
 * window per scan period: up to scan_size of present pages made PROT_NONE, walking at most 8× that
 * of address space, in 2 MiB steps. In tiering mode top-tier pages are skipped; a PTE that is
 * already PROT_NONE keeps its old stamp. Only CPU accesses fault: GPU accesses do not go through
 * the CPU page table's NUMA hinting.
 *
 * Fast mode draws each marked frame's first CPU access after the scan from its access rate
 * (exponential: accesses are a Poisson stream) and files the fault in a calendar queue by epoch;
 * exact mode takes the fault at the first drawn access. Frames whose chance of faulting before the
 * run ends is below NEGLIGIBLE_PROBABILITY get no event.
 *
 * Per-chunk counts of markable frames let the scan skip 2 MiB steps with nothing to mark, so the
 * cost follows the pages marked, not the address space walked.
 */

export const NEGLIGIBLE_PROBABILITY = 1e-6
/** CPU time of one hint fault (do_numa_page and its PTE fixup); an assumption, unconfirmed. */
export const HINT_FAULT_CPU_S = 1e-6
/** CPU time to make one PTE PROT_NONE during a scan (change_prot_numa); an assumption. */
export const SCAN_CPU_S_PER_PAGE = 15e-9
const CHUNK_BYTES = 2 * 1024 * 1024
/** Faults of one epoch are taken in time order at this resolution (1/256 of an epoch). */
const TIME_SLOTS = 256
/** Events deliver reads ahead (see there). */
const PREFETCH = 12

export class HintFaultScanner {
  private readonly chunkFrames: number
  /** One bit per frame: allocated, not PROT_NONE, and (in tiering mode) not on the top tier. */
  private readonly markBits: Uint32Array
  private readonly procRegions: number[][]
  private readonly nextScanMs: Float64Array
  private readonly periodMs: Float64Array
  /** Position of each process's scan within its address space (frames from its first region). */
  private readonly cursor: Float64Array
  /** Pending faults by epoch (a calendar queue with one slot per epoch of the run). */
  private readonly calendar: FaultCalendar
  /** One fault record reused for every call: handlers must not keep it. */
  private readonly event: HintFault = {
    frame: 0,
    node: 0,
    process: 0,
    cpuNode: 0,
    faultTimeMs: 0,
    scanTimeMs: 0,
  }
  faultsSincePass: Float64Array
  pendingEvents = 0
  /** Keeps deliver's look-ahead reads from being optimised away. */
  private prefetchSink = 0
  private readonly normalMode: boolean

  constructor(
    private readonly core: SimCore,
    readonly sub: HintFaultSubscription,
    private readonly exact: boolean,
    private readonly rng: Rng,
    private readonly nextPeriod: (p: number, currentMs: number, rssBytes: number) => number,
  ) {
    const P = core.P
    this.normalMode = sub.mode === 'normal'
    // Fast mode keeps up to about one pending fault per slow-tier frame; a quarter of all
    // frames covers the reference scenario's peak (1.4 M of 4 Mi) without regrowing.
    this.calendar = new FaultCalendar(
      Math.ceil(core.durationS / core.epochS) + 2,
      TIME_SLOTS,
      exact ? 0 : core.frames.count / 4,
    )
    this.chunkFrames = Math.max(1, Math.floor(CHUNK_BYTES / core.pageBytes))
    this.markBits = new Uint32Array((core.frames.count >>> 5) + 1)
    this.procRegions = core.w.processes.map((proc) => {
      const set = new Set<number>()
      for (const ph of proc.phases) for (const a of ph.accesses) set.add(a.region)
      return [...set].sort((a, b) => a - b)
    })
    this.nextScanMs = new Float64Array(P).fill(sub.scanDelayMs)
    this.periodMs = new Float64Array(P)
    this.cursor = new Float64Array(P)
    this.faultsSincePass = new Float64Array(P)
  }

  private markable(f: number): boolean {
    const c = this.core
    const s = c.frames.state[f]
    const node = s >>> NODE_SHIFT
    if (node === UNALLOCATED || s & F_PROT_NONE) return false
    return this.normalMode || c.topTierOf[node] === 0
  }

  /** Keeps the markable bitmap right: call after any change of a frame's node or mark. */
  afterChange(f: number): void {
    if (this.markable(f)) this.markBits[f >>> 5] |= 1 << (f & 31)
    else this.markBits[f >>> 5] &= ~(1 << (f & 31))
  }
  /** Kept for symmetry with afterChange; the bitmap needs only the state after a change. */
  beforeChange(_f: number): void {}

  /** A moved frame's PTE is fresh: any pending fault is void. */
  onMigrated(f: number): void {
    const fr = this.core.frames
    const s = fr.state[f]
    if (s & F_PROT_NONE) fr.state[f] = bumpSeq(s & ~F_PROT_NONE)
  }

  /** Runs the scans due at the start of this epoch. */
  scan(): void {
    const c = this.core
    const nowMs = c.nowS * 1000
    for (let p = 0; p < c.P; p++) {
      if (c.procIsCpu[p] !== 1) continue
      let guard = 0
      while (this.nextScanMs[p] <= nowMs + 1e-9 && guard++ < 64) {
        if (this.periodMs[p] === 0) this.periodMs[p] = taskScanStartMs(this.rssBytes(p), this.sub)
        const passEnded = this.scanWindow(p)
        if (passEnded) {
          this.periodMs[p] = this.nextPeriod(p, this.periodMs[p], this.rssBytes(p))
          this.faultsSincePass[p] = 0
        }
        this.nextScanMs[p] += this.periodMs[p]
      }
    }
  }

  private rssBytes(p: number): number {
    const c = this.core
    let frames = 0
    for (const r of this.procRegions[p]) frames += c.regionAllocated[r]
    return frames * c.pageBytes
  }

  /** One task_numa_work invocation. Returns whether the pass reached the end of the space. */
  private scanWindow(p: number): boolean {
    const c = this.core
    const fr = c.frames
    const pageScale = c.pageBytes / KERNEL_PAGE_BYTES
    let pages = (this.sub.scanSizeMB * 1024 * 1024) / KERNEL_PAGE_BYTES
    let virtPages = pages * VIRTUAL_SCAN_FACTOR
    const regions = this.procRegions[p]
    let pos = this.cursor[p]
    let base = 0
    let marked = 0
    const cf = this.chunkFrames
    for (const ri of regions) {
      const region = c.w.regions[ri]
      const size = c.regionAllocated[ri]
      if (pos >= base + size) {
        base += region.frameCount
        if (pos < base) pos = base
        continue
      }
      let f = region.frameStart + (pos - base)
      const end = region.frameStart + size
      // task_numa_work [FAIR]: change_prot_numa over a range of the remaining `pages` (2 MiB
      // aligned); a range with any PTE updated uses up its length of the budget, an untouched
      // range only costs virtual pages (so a pass skips fast through marked or top-tier memory).
      while (f < end && pages > 0 && virtPages > 0) {
        const rangeEnd = Math.min(end, Math.ceil((f + pages / pageScale) / cf) * cf)
        let any = false
        // Walk the bitmap a word (32 frames) at a time: the cost follows the pages marked.
        const bits = this.markBits
        for (let word = f >>> 5; word <= (rangeEnd - 1) >>> 5; word++) {
          let w = bits[word]
          if (w === 0) continue
          const lo = word << 5
          if (lo < f) w &= ~0 << (f - lo)
          if (lo + 32 > rangeEnd) w &= rangeEnd - lo >= 32 ? ~0 : (1 << (rangeEnd - lo)) - 1
          while (w !== 0) {
            const bit = 31 - Math.clz32(w & -w)
            w &= w - 1
            const h = lo + bit
            bits[word] &= ~(1 << bit)
            fr.state[h] = bumpSeq(fr.state[h] | F_PROT_NONE)
            fr.scanEpoch[h] = c.epoch
            if (!this.exact) this.schedule(h)
            any = true
            marked++
          }
        }
        const len = (rangeEnd - f) * pageScale
        if (any) pages -= len
        virtPages -= len
        f = rangeEnd
      }
      pos = base + (f - region.frameStart)
      if (pages <= 0 || virtPages <= 0) {
        this.cursor[p] = pos
        this.charge(p, marked)
        return false
      }
      base += region.frameCount
      pos = base
    }
    this.cursor[p] = 0
    this.charge(p, marked)
    return true
  }

  private charge(p: number, marked: number): void {
    const cost = marked * SCAN_CPU_S_PER_PAGE
    this.core.procDebtS[p] += cost
    this.core.counters.policyCpuS += cost
  }

  /** Fast mode: when will the frame's next CPU access come? File the fault for that epoch. */
  schedule(f: number): void {
    const c = this.core
    const lambda = c.frames.cpuWeight[f] * c.cpuRateScale
    const remainingS = c.durationS - c.nowS
    if (!(lambda * remainingS > NEGLIGIBLE_PROBABILITY)) return
    const tS = c.nowS + this.rng.exp(lambda)
    if (tS >= c.durationS) return
    const e = Math.floor(tS / c.epochS)
    const seq = (c.frames.state[f] & SEQ_MASK) >>> SEQ_SHIFT
    this.calendar.push(e, f, seq, tS * 1000, c.frames.scanEpoch[f])
    this.pendingEvents++
  }

  /** Frames whose rate changed while PROT_NONE: redraw (exponential delays are memoryless). */
  reschedule(f: number): void {
    if (this.exact) return
    const fr = this.core.frames
    fr.state[f] = bumpSeq(fr.state[f])
    this.schedule(f)
  }

  /** After a phase change every pending fault was drawn from old rates. O(frames). */
  rescheduleAll(): void {
    if (this.exact) return
    const fr = this.core.frames
    for (let f = 0; f < fr.count; f++) if (fr.state[f] & F_PROT_NONE) this.reschedule(f)
  }

  /** Fast mode: the faults of this epoch, in filing order. */
  deliver(handler: (fault: HintFault) => void): void {
    const c = this.core
    const cal = this.calendar
    const e = c.epoch
    const n = cal.size(e)
    if (n === 0) return
    const fr = c.frames
    this.pendingEvents -= n
    // In time order (who faults first gets the free memory): a counting sort on TIME_SLOTS
    // slots of the epoch, which keeps filing order within a slot.
    const order = cal.sortedByTime(e, c.nowS * 1000, c.epochS * 1000)
    const state = fr.state
    const weight = fr.weight
    const lastMove = fr.lastMoveEpoch
    const heatBin = fr.heatBin
    // Frames are random over the footprint, so each event's state is a cache miss. Reading the
    // state (and what a promotion touches) PREFETCH events ahead lets those misses overlap
    // instead of stalling one after another; the reads change nothing.
    let touched = 0
    for (let k = 0; k < n; k++) {
      // Re-read the pool: a handler that filed a fault could have grown it.
      const d = cal.data()
      if (k + PREFETCH < n) {
        const g = d[order[k + PREFETCH]] | 0
        touched += state[g] + weight[g] + lastMove[g] + heatBin[g]
      }
      const i = order[k]
      const f = d[i] | 0 // an int index: a double key takes a slow keyed-load path
      const tag = d[i + 2]
      let seq: number
      let scanEpoch: number
      if (tag < 0x80000000) {
        const t = tag | 0
        seq = t & 0xff
        scanEpoch = t >>> 8
      } else {
        seq = tag % 256
        scanEpoch = (tag - seq) / 256
      }
      // The sequence number changes on every mark, fault and move: equal means still pending.
      const s = state[f]
      if ((s & SEQ_MASK) >>> SEQ_SHIFT !== seq || !(s & F_PROT_NONE)) continue
      this.fault(f, this.faultingProcess(f), d[i + 1], handler, scanEpoch)
    }
    this.prefetchSink = touched
    cal.release(e)
  }

  /** Exact mode: a drawn CPU access of process p at tMs. */
  touch(f: number, p: number, tMs: number, handler: (fault: HintFault) => void): void {
    const fr = this.core.frames
    if (fr.state[f] & F_PROT_NONE) this.fault(f, p, tMs, handler, fr.scanEpoch[f])
  }

  private fault(
    f: number,
    p: number,
    tMs: number,
    handler: (fault: HintFault) => void,
    scanEpoch: number,
  ): void {
    const c = this.core
    const fr = c.frames
    // The fault restores the PTE; the frame can be marked again by a later pass.
    const s = bumpSeq(fr.state[f] & ~F_PROT_NONE)
    fr.state[f] = s
    // afterChange(f) inlined: the frame is no longer PROT_NONE, so only its node decides.
    const node = s >>> NODE_SHIFT
    if (node !== UNALLOCATED && (this.normalMode || c.topTierOf[node] === 0))
      this.markBits[f >>> 5] |= 1 << (f & 31)
    else this.markBits[f >>> 5] &= ~(1 << (f & 31))
    c.counters.hintFaults++
    c.procDebtS[p] += HINT_FAULT_CPU_S
    c.counters.policyCpuS += HINT_FAULT_CPU_S
    this.faultsSincePass[p]++
    const ev = this.event
    ev.frame = f
    ev.node = node
    ev.process = p
    ev.cpuNode = c.procHome[p]
    ev.faultTimeMs = tMs
    ev.scanTimeMs = scanEpoch * c.epochS * 1000
    handler(ev)
  }

  /** The CPU process whose access came first: chosen in proportion to its rate on the frame. */
  private faultingProcess(f: number): number {
    const c = this.core
    const region = c.regionOf(f)
    const procs = c.procsOfRegion[region]
    let only = -1
    let cpuCount = 0
    for (let i = 0; i < procs.length; i++) {
      const p = procs[i]
      if (c.procIsCpu[p] === 1) {
        only = p
        cpuCount++
      }
    }
    if (cpuCount <= 1) return only >= 0 ? only : 0
    let total = 0
    const weights: number[] = []
    for (const p of procs) {
      const w = c.procIsCpu[p] === 1 ? c.rate[p] * c.prob(p, f, region) : 0
      weights.push(w)
      total += w
    }
    let u = this.rng.next() * total
    for (let i = 0; i < procs.length; i++) {
      u -= weights[i]
      if (u < 0 && weights[i] > 0) return procs[i]
    }
    return only
  }
}
