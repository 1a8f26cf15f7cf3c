import type { HintFault, HintFaultSubscription } from '../../policies/api'
import { KERNEL_PAGE_BYTES, taskScanStartMs, VIRTUAL_SCAN_FACTOR } from '../../kernel'
import type { Rng } from '../../rng'
import type { SimCore } from '../core'
import { F_PROT_NONE, UNALLOCATED } from '../frames'

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
  private readonly calendar: Array<FaultBucket | undefined>
  private readonly spare: FaultBucket[] = []
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
  private readonly normalMode: boolean

  constructor(
    private readonly core: SimCore,
    readonly sub: HintFaultSubscription,
    private readonly exact: boolean,
    private readonly rng: Rng,
    private readonly nextPeriod: (p: number, currentMs: number) => number,
  ) {
    const P = core.P
    this.normalMode = sub.mode === 'normal'
    this.calendar = new Array(Math.ceil(core.durationS / core.epochS) + 2)
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
    const node = c.frames.node[f]
    if (node === UNALLOCATED || c.frames.flags[f] & F_PROT_NONE) return false
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
    if (fr.flags[f] & F_PROT_NONE) {
      fr.flags[f] &= ~F_PROT_NONE
      fr.faultSeq[f] = (fr.faultSeq[f] + 1) & 0xff
    }
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
          this.periodMs[p] = this.nextPeriod(p, this.periodMs[p])
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
            fr.flags[h] |= F_PROT_NONE
            fr.scanEpoch[h] = c.epoch
            fr.faultSeq[h] = (fr.faultSeq[h] + 1) & 0xff
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
    let bucket = this.calendar[e]
    if (!bucket) {
      bucket = this.spare.pop() ?? new FaultBucket()
      this.calendar[e] = bucket
    }
    bucket.push(f, c.frames.faultSeq[f], tS * 1000, c.frames.scanEpoch[f])
    this.pendingEvents++
  }

  /** Frames whose rate changed while PROT_NONE: redraw (exponential delays are memoryless). */
  reschedule(f: number): void {
    if (this.exact) return
    const fr = this.core.frames
    fr.faultSeq[f] = (fr.faultSeq[f] + 1) & 0xff
    this.schedule(f)
  }

  /** After a phase change every pending fault was drawn from old rates. O(frames). */
  rescheduleAll(): void {
    if (this.exact) return
    const fr = this.core.frames
    for (let f = 0; f < fr.count; f++) if (fr.flags[f] & F_PROT_NONE) this.reschedule(f)
  }

  /** Fast mode: the faults of this epoch, in filing order. */
  deliver(handler: (fault: HintFault) => void): void {
    const c = this.core
    const bucket = this.calendar[c.epoch]
    if (!bucket) return
    this.calendar[c.epoch] = undefined
    const fr = c.frames
    const n = bucket.length
    this.pendingEvents -= n
    // In time order (who faults first gets the free memory): a counting sort on TIME_SLOTS
    // slots of the epoch, which keeps filing order within a slot.
    const order = bucket.sortedByTime(c.nowS * 1000, c.epochS * 1000)
    for (let k = 0; k < n; k++) {
      const i = order[k]
      const d = bucket.data
      const f = d[i * 4]
      // The sequence number changes on every mark, fault and move: equal means still pending.
      if (fr.faultSeq[f] !== d[i * 4 + 1] || !(fr.flags[f] & F_PROT_NONE)) continue
      this.fault(f, this.faultingProcess(f), d[i * 4 + 2], handler, d[i * 4 + 3])
    }
    bucket.length = 0
    this.spare.push(bucket)
  }

  /** Exact mode: a drawn CPU access of process p at tMs. */
  touch(f: number, p: number, tMs: number, handler: (fault: HintFault) => void): void {
    const fr = this.core.frames
    if (fr.flags[f] & F_PROT_NONE) this.fault(f, p, tMs, handler, fr.scanEpoch[f])
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
    fr.flags[f] &= ~F_PROT_NONE
    fr.faultSeq[f] = (fr.faultSeq[f] + 1) & 0xff
    this.afterChange(f)
    c.counters.hintFaults++
    c.procDebtS[p] += HINT_FAULT_CPU_S
    c.counters.policyCpuS += HINT_FAULT_CPU_S
    this.faultsSincePass[p]++
    const ev = this.event
    ev.frame = f
    ev.node = fr.node[f]
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
    for (const p of procs)
      if (c.procIsCpu[p] === 1) {
        only = p
        cpuCount++
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

/** Pending faults of one epoch, in typed arrays (millions of events must not churn the GC). */
class FaultBucket {
  /** Interleaved records [frame, seq, timeMs, scanEpoch]: one cache line per append. */
  data = new Float64Array(256 * 4)
  length = 0

  private order = new Int32Array(256)
  private readonly slotCount = new Int32Array(TIME_SLOTS + 1)

  sortedByTime(startMs: number, spanMs: number): Int32Array {
    const n = this.length
    if (this.order.length < n) this.order = new Int32Array(this.data.length / 4)
    const cnt = this.slotCount
    cnt.fill(0)
    const scale = TIME_SLOTS / spanMs
    const d = this.data
    const slot = (i: number): number => {
      const s = Math.floor((d[i * 4 + 2] - startMs) * scale)
      return s < 0 ? 0 : s >= TIME_SLOTS ? TIME_SLOTS - 1 : s
    }
    for (let i = 0; i < n; i++) cnt[slot(i) + 1]++
    for (let s = 1; s <= TIME_SLOTS; s++) cnt[s] += cnt[s - 1]
    for (let i = 0; i < n; i++) this.order[cnt[slot(i)]++] = i
    return this.order
  }

  push(frame: number, seq: number, timeMs: number, scanEpoch: number): void {
    if (this.length * 4 === this.data.length) {
      const grown = new Float64Array(this.data.length * 2)
      grown.set(this.data)
      this.data = grown
    }
    const k = this.length * 4
    this.data[k] = frame
    this.data[k + 1] = seq
    this.data[k + 2] = timeMs
    this.data[k + 3] = scanEpoch
    this.length++
  }
}
