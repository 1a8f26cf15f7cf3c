import type { HintFault, HintFaultSubscription } from '../../policies/api'
import { KERNEL_PAGE_BYTES, taskScanStartMs, VIRTUAL_SCAN_FACTOR } from '../../kernel'
import type { Rng } from '../../rng'
import type { SimCore } from '../core'
import { FaultCalendar } from './fault-calendar'
import { HINT_FAULT_CPU_S, SummarisedFaults } from './summarised-faults'
import {
  bumpSeq,
  F_PROT_NONE,
  F_SUMMARY,
  NODE_SHIFT,
  SEQ_MASK,
  SEQ_RANGE,
  SEQ_SHIFT,
  UNALLOCATED,
} from '../frames'

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
 *
 * Summarised faults. A policy may say which faults it is sure to ignore (`ignoredLatencyMs`: a
 * fault whose latency is at least that). Such a fault, on a region one CPU process touches, is not
 * filed as an event: it is counted for its epoch and region (counters, CPU charge, faults of the
 * pass, all as for a delivered fault; the books are in summarised-faults.ts), and the frame keeps
 * F_PROT_NONE | F_SUMMARY — it is PROT_NONE until that epoch is delivered, and its mark bit stays
 * set so the next pass finds it. A move or a rate change before then takes the count back. If
 * the policy later wants every fault (the cutoff is Infinity at an epoch start), the pending
 * summarised faults are filed as events again, so nothing it would have seen is lost. In the
 * reference benchmark this spares about half of all faults the event queue and the random frame
 * reads.
 */

export const NEGLIGIBLE_PROBABILITY = 1e-6
/** CPU time to make one PTE PROT_NONE during a scan (change_prot_numa); an assumption. */
export const SCAN_CPU_S_PER_PAGE = 15e-9
const CHUNK_BYTES = 2 * 1024 * 1024
/** Faults of one epoch are taken in time order at this resolution (1/256 of an epoch). */
const TIME_SLOTS = 256
/** log2(SEQ_RANGE): a record's tag below 2^31 splits into scan epoch and sequence by shifts. */
const SEQ_BITS = Math.log2(SEQ_RANGE)
/** Events whose frames deliver reads in one go before handling them (see there). */
const BATCH = 32
/** The thinning bound is set this far above the current CPU rate scale. */
const RATE_BOUND_HEADROOM = 1.25

/**
 * A uniform in (0, 1) fixed by the frame, the candidate's time and a salt: thinning decisions
 * draw nothing from the scanner's stream, so a run whose policy summarises faults consumes the
 * stream exactly as one that takes every fault (murmur3 finalisers over the inputs).
 */
function thinningUniform(f: number, tMs: number, salt: number): number {
  const t = Math.floor(tMs * 1048576)
  let z = Math.imul(f ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(t | 0, 0xc2b2ae35)
  z ^= Math.imul((t / 4294967296) | 0, 0x27d4eb2f) ^ salt
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (((z ^ (z >>> 16)) >>> 0) + 0.5) / 4294967296
}

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
  /** Faults counted in bulk; null without a policy cutoff (and in exact mode). */
  private readonly summary: SummarisedFaults | null
  /** Keeps deliver's look-ahead reads from being optimised away. */
  private prefetchSink = 0
  private readonly normalMode: boolean
  /**
   * Fault arrivals follow the frame's rate as it changes (thinning, Lewis–Shedler): a pending
   * fault is drawn at the bound rate cpuWeight × `rateBound` and kept, when its time comes, with
   * probability (CPU rate scale then) ÷ rateBound, else redrawn from there. Exact for any path of
   * the global rate scale that stays under the bound; the bound is reset, and every pending fault
   * redrawn (memoryless), when the scale leaves [bound ÷ 2, bound] (a handful of times per run).
   * A frame's own weight changes (moving windows, phases) redraw its fault at once.
   */
  private rateBound = 0
  /** Summarised faults filed as events (frame → sequence number), thinned already. */
  private readonly preAccepted = new Map<number, number>()

  constructor(
    private readonly core: SimCore,
    readonly sub: HintFaultSubscription,
    private readonly exact: boolean,
    private readonly rng: Rng,
    private readonly nextPeriod: (p: number, currentMs: number, rssBytes: number) => number,
    /** Latency (ms) from which a fault at the given time is sure to be ignored; null: none. */
    private readonly ignoredLatencyMs: ((faultTimeMs: number) => number) | null = null,
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
    this.summary =
      !exact && ignoredLatencyMs !== null ? new SummarisedFaults(core, TIME_SLOTS) : null
  }

  /** Per-frame bytes this scanner keeps (mark bitmap, summarised fault ticks). */
  bytesPerFrame(): number {
    return this.markBits.byteLength / this.core.frames.count + (this.summary?.bytesPerFrame() ?? 0)
  }

  private markable(f: number): boolean {
    const c = this.core
    const s = c.frames.state[f]
    const node = s >>> NODE_SHIFT
    // A summarised frame keeps its bit: the scan checks whether its fault has happened.
    if (node === UNALLOCATED || (s & (F_PROT_NONE | F_SUMMARY)) === F_PROT_NONE) return false
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
    if (s & F_SUMMARY) this.summary!.drop(f)
    if (s & F_PROT_NONE) fr.state[f] = bumpSeq(s & ~(F_PROT_NONE | F_SUMMARY))
  }

  /** Runs the scans due at the start of this epoch. */
  scan(): void {
    const c = this.core
    if (!this.exact) this.refreshRateBound()
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
            const s0 = fr.state[h]
            if (s0 & F_PROT_NONE) {
              // Only a summarised frame has its bit set while PROT_NONE: still pending, the PTE is
              // PROT_NONE and keeps its stamp (the range is not updated); else its fault happened.
              if (!(s0 & F_SUMMARY)) {
                bits[word] &= ~(1 << bit)
                continue
              }
              if (this.summary!.pending(h)) continue
              this.summary!.forget(h)
            }
            bits[word] &= ~(1 << bit)
            fr.state[h] = bumpSeq((s0 & ~F_SUMMARY) | F_PROT_NONE)
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

  /** Keeps the CPU rate scale within [bound ÷ 2, bound]; a new bound redraws pending faults. */
  private refreshRateBound(): void {
    const scale = this.core.cpuRateScale
    if (scale <= this.rateBound && scale >= this.rateBound / 2) return
    const had = this.rateBound > 0
    this.rateBound = scale * RATE_BOUND_HEADROOM
    // With no bound yet nothing can be pending (a zero bound files no fault): skip the O(frames) walk.
    if (had) this.rescheduleAll()
  }

  /**
   * Fast mode: when will the frame's next CPU access come (from `fromS`, now by default)? A
   * candidate at the bound rate; thinned at delivery (deliverEvents), or here for a fault that
   * goes to the summary, which is counted in bulk.
   */
  schedule(f: number, fromS = this.core.nowS): void {
    const c = this.core
    const bound = c.frames.cpuWeight[f] * this.rateBound
    const lambda = c.frames.cpuWeight[f] * c.cpuRateScale
    const remainingS = c.durationS - fromS
    if (!(lambda * remainingS > NEGLIGIBLE_PROBABILITY)) return
    const tS = fromS + this.rng.exp(bound)
    if (tS >= c.durationS) return
    const e = Math.floor(tS / c.epochS)
    const fr = c.frames
    const tMs = tS * 1000
    const scanEpoch = fr.scanEpoch[f]
    const summary = this.summary
    if (summary !== null) {
      const r = c.regionOf(f)
      if (
        summary.soleCpuProcess(r) >= 0 &&
        tMs - scanEpoch * c.epochS * 1000 >= this.ignoredLatencyMs!(tMs)
      ) {
        // Thinned now at the current scale (the same steps, in ms, as at delivery): a later
        // candidate has a longer latency still.
        let t = tMs
        while (thinningUniform(f, t, 0) * this.rateBound >= c.cpuRateScale) {
          t -= (Math.log(thinningUniform(f, t, 1)) / bound) * 1000
          if (t >= c.durationS * 1000) return
        }
        fr.state[f] |= F_SUMMARY
        summary.add(f, r, Math.floor(t / 1000 / c.epochS), t / 1000)
        this.markBits[f >>> 5] |= 1 << (f & 31)
        return
      }
    }
    const seq = (fr.state[f] & SEQ_MASK) >>> SEQ_SHIFT
    this.calendar.push(e, f, seq, tMs, scanEpoch)
    this.pendingEvents++
  }

  /** Frames whose rate changed while PROT_NONE: redraw (exponential delays are memoryless). */
  reschedule(f: number, countsCleared = false): void {
    if (this.exact) return
    const fr = this.core.frames
    const s = fr.state[f]
    if (s & F_SUMMARY) {
      const summary = this.summary!
      if (!summary.pending(f)) {
        // Its fault has happened: the PTE is no longer PROT_NONE (its mark bit is already set).
        summary.forget(f)
        fr.state[f] = bumpSeq(s & ~(F_PROT_NONE | F_SUMMARY))
        return
      }
      if (countsCleared) summary.forget(f)
      else summary.drop(f)
      this.markBits[f >>> 5] &= ~(1 << (f & 31))
    }
    fr.state[f] = bumpSeq(s & ~F_SUMMARY)
    this.schedule(f)
  }

  /** After a phase change every pending fault was drawn from old rates. O(frames). */
  rescheduleAll(): void {
    if (this.exact) return
    const fr = this.core.frames
    // Every pending summarised fault is redrawn below: drop their counts at once.
    this.summary?.dropAllPending()
    for (let f = 0; f < fr.count; f++) if (fr.state[f] & F_PROT_NONE) this.reschedule(f, true)
  }

  /**
   * The policy wants every fault again (its cutoff is Infinity now): file each pending summarised
   * fault as an event at its tick. O(frames), only on such a change.
   */
  private fileSummarised(summary: SummarisedFaults): void {
    const c = this.core
    const fr = c.frames
    const epochMs = c.epochS * 1000
    for (let f = 0; f < fr.count; f++) {
      if (!(fr.state[f] & F_SUMMARY)) continue
      const tick = summary.tick(f)
      const pending = summary.pending(f)
      summary.forget(f)
      if (!pending) {
        fr.state[f] = bumpSeq(fr.state[f] & ~(F_PROT_NONE | F_SUMMARY))
        continue
      }
      const s = bumpSeq(fr.state[f] & ~F_SUMMARY)
      fr.state[f] = s
      this.markBits[f >>> 5] &= ~(1 << (f & 31))
      const e = Math.floor(tick / TIME_SLOTS)
      const tMs = ((tick + 0.5) / TIME_SLOTS) * epochMs
      this.calendar.push(e, f, (s & SEQ_MASK) >>> SEQ_SHIFT, tMs, fr.scanEpoch[f])
      this.pendingEvents++
      // Thinned when it was summarised: delivery must not thin it again.
      this.preAccepted.set(f, (s & SEQ_MASK) >>> SEQ_SHIFT)
    }
    summary.dropAllPending()
  }

  /** Fast mode: the faults of this epoch, summarised ones counted, the others in time order. */
  deliver(handler: (fault: HintFault) => void): void {
    const c = this.core
    const e = c.epoch
    const summary = this.summary
    if (summary !== null) {
      if (summary.any && this.ignoredLatencyMs!(c.nowS * 1000) === Infinity)
        this.fileSummarised(summary)
      summary.deliver(e, this.faultsSincePass)
    }
    this.deliverEvents(handler)
    if (summary !== null) summary.deliveredThrough = e
  }

  private deliverEvents(handler: (fault: HintFault) => void): void {
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
    const endMs = (c.nowS + c.epochS) * 1000
    const state = fr.state
    const weight = fr.weight
    const lastMove = fr.lastMoveEpoch
    const heatBin = fr.heatBin
    const nodeOf = fr.node
    // Frames are random over the footprint, so each event's state is a cache miss. A short loop
    // first reads the state (and what a promotion touches) of a batch of events: its loads are
    // independent, so the CPU keeps many misses in flight at once instead of stalling on each in
    // turn inside the long handler loop. The reads change nothing.
    let touched = 0
    for (let k0 = 0; k0 < n; k0 += BATCH) {
      const k1 = k0 + BATCH < n ? k0 + BATCH : n
      // Re-read the pool per batch: a handler that filed a fault could have grown it.
      const d = cal.data()
      for (let k = k0; k < k1; k++) {
        const g = d[order[k]] | 0
        touched += state[g] + weight[g] + lastMove[g] + heatBin[g] + nodeOf[g]
      }
      for (let k = k0; k < k1; k++) {
        const i = order[k]
        const f = d[i] | 0 // an int index: a double key takes a slow keyed-load path
        const tag = d[i + 2]
        let seq: number
        let scanEpoch: number
        if (tag < 0x80000000) {
          const t = tag | 0
          seq = t & (SEQ_RANGE - 1)
          scanEpoch = t >>> SEQ_BITS
        } else {
          seq = tag % SEQ_RANGE
          scanEpoch = (tag - seq) / SEQ_RANGE
        }
        // The sequence number changes on every mark, fault and move: equal means still pending.
        const s = state[f]
        if ((s & SEQ_MASK) >>> SEQ_SHIFT !== seq || !(s & F_PROT_NONE)) continue
        let tMs = d[i + 1]
        if (this.preAccepted.size > 0 && this.preAccepted.has(f)) {
          const pre = this.preAccepted.get(f) === seq
          this.preAccepted.delete(f)
          if (!pre) tMs = this.thin(f, tMs, endMs)
        } else tMs = this.thin(f, tMs, endMs)
        if (tMs < 0) continue
        this.fault(f, this.faultingProcess(f), tMs, handler, scanEpoch)
      }
    }
    this.prefetchSink = touched
    cal.release(e)
  }

  /**
   * A candidate fault at tMs: kept with probability scale ÷ bound; a rejected one is followed by
   * the next candidate of the bound-rate stream. Returns the accepted time within this epoch, or
   * −1 when the next candidate lies beyond it (then filed for its epoch) or beyond the run.
   */
  private thin(f: number, tMs: number, endMs: number): number {
    const c = this.core
    const scale = c.cpuRateScale
    const bound = c.frames.cpuWeight[f] * this.rateBound
    let t = tMs
    while (thinningUniform(f, t, 0) * this.rateBound >= scale) {
      t -= (Math.log(thinningUniform(f, t, 1)) / bound) * 1000
      if (t >= endMs) {
        if (t < c.durationS * 1000) {
          const fr = c.frames
          const seq = (fr.state[f] & SEQ_MASK) >>> SEQ_SHIFT
          const e = Math.max(c.epoch + 1, Math.floor(t / 1000 / c.epochS))
          this.calendar.push(e, f, seq, t, fr.scanEpoch[f])
          this.pendingEvents++
        }
        return -1
      }
    }
    return t
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
