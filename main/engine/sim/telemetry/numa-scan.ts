import type { HintFaultSubscription } from '../../vocabulary'
import { KERNEL_PAGE_BYTES, taskScanStartMs, VIRTUAL_SCAN_FACTOR } from '../../kernel'
import type { SimCore } from '../core'
import { CPU } from '../cpu-ledger'
import { bumpSeq, F_PROT_NONE, NODE_SHIFT } from '../frames'

/** CPU time to make one PTE PROT_NONE during a scan (change_prot_numa); an assumption. */
export const SCAN_CPU_S_PER_PAGE = 15e-9
const CHUNK_BYTES = 2 * 1024 * 1024

/** What the scan needs from the hint-fault source that owns it. */
export interface ScanOwner {
  /**
   * 1 for the nodes whose pages the scan marks, by node id and 0 at UNALLOCATED (256 entries):
   * a frame is marked when its node's entry is 1 and it is not PROT_NONE already.
   */
  readonly markNode: Uint8Array
  readonly exact: boolean
  faultsSincePass: Float64Array
  /** Fast mode: draw the marked frame's fault (its arrival) and file it. */
  schedule(f: number): void
  /** The scan period after a pass ends (the policy may adapt it). */
  nextPeriodMs(p: number, currentMs: number, rssBytes: number): number
}

/**
 * The page-table scanner of each CPU process (kernel/sched/fair.c task_numa_work [FAIR],
 * mm/mprotect.c [MPROT]): its regions in order, one window per scan period — up to scan_size of
 * present pages made PROT_NONE, walking at most 8× that of address space, in 2 MiB steps. It reads
 * each frame's state word in address order (a sequential read, ~1 ns a frame: the whole bench
 * reference walks 18 M frames), which costs less than keeping a bitmap of markable frames right at
 * every fault and move (a cache miss each). The marking CPU time is the process's own.
 */
export class NumaScan {
  private readonly chunkFrames: number
  private readonly procRegions: number[][]
  private readonly nextScanMs: Float64Array
  private readonly periodMs: Float64Array
  /** Position of each process's scan within its address space (frames from its first region). */
  private readonly cursor: Float64Array

  constructor(
    private readonly core: SimCore,
    private readonly owner: ScanOwner,
    public sub: HintFaultSubscription,
  ) {
    const P = core.P
    this.chunkFrames = Math.max(1, Math.floor(CHUNK_BYTES / core.pageBytes))
    this.procRegions = core.w.processes.map((proc) => {
      const set = new Set<number>()
      for (const ph of proc.phases) for (const a of ph.accesses) set.add(a.region)
      return [...set].sort((a, b) => a - b)
    })
    this.nextScanMs = new Float64Array(P).fill(core.nowS * 1000 + sub.scanDelayMs)
    this.periodMs = new Float64Array(P)
    this.cursor = new Float64Array(P)
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
          this.periodMs[p] = this.owner.nextPeriodMs(p, this.periodMs[p], this.rssBytes(p))
          this.owner.faultsSincePass[p] = 0
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
    const exact = this.owner.exact
    const owner = this.owner
    const markNode = owner.markNode
    // Locals: schedule() is a call, after which the fields would be read again.
    const state = fr.state
    const scanEpoch = fr.scanEpoch
    const epoch = c.epoch
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
        for (let h = f; h < rangeEnd; h++) {
          const s0 = state[h]
          // Already PROT_NONE: the PTE keeps its stamp (the range is not updated). Unallocated
          // frames and nodes not scanned (the top tier in tiering mode) are passed over.
          if (s0 & F_PROT_NONE || markNode[s0 >>> NODE_SHIFT] !== 1) continue
          state[h] = bumpSeq(s0 | F_PROT_NONE)
          scanEpoch[h] = epoch
          if (!exact) owner.schedule(h)
          any = true
          marked++
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
    this.core.cpu.toProcess(p, marked * SCAN_CPU_S_PER_PAGE, CPU.hintFaults)
  }
}
