import type { SimCore } from '../core'
import { CPU } from '../cpu-ledger'

/**
 * The books of summarised hint faults (see HintFaultScanner): faults a policy is sure to ignore,
 * counted in bulk instead of filed as events. Per frame, the tick (1/slots of an epoch) of its
 * pending summarised fault; per (epoch, region), how many; and which epochs have been delivered,
 * since a summarised fault's PTE is PROT_NONE only until its epoch is. The scanner keeps the
 * frames' F_PROT_NONE | F_SUMMARY bits and mark bits; this keeps the numbers.
 *
 * Summarised faults. A policy may say which faults it is sure to ignore (`ignoredLatencyMs`: a
 * fault whose latency is at least that). Such a fault, on a region one CPU process touches, is not
 * filed as an event: it is counted for its epoch and region (counters, CPU charge, faults of the
 * pass, all as for a delivered fault; the books are kept here), and the frame keeps
 * F_PROT_NONE | F_SUMMARY — it is PROT_NONE until that epoch is delivered, and its mark bit stays
 * set so the next pass finds it. A move or a rate change before then takes the count back. If
 * the policy later wants every fault (the cutoff is Infinity at an epoch start), the pending
 * summarised faults are filed as events again, so nothing it would have seen is lost. In the
 * reference benchmark this spares about half of all faults the event queue and the random frame
 * reads.
 */

/** CPU time of one hint fault (do_numa_page and its PTE fixup); an assumption, unconfirmed. */
export const HINT_FAULT_CPU_S = 1e-6
/**
 * `ticks` holds tick + 1, so 0 (a fresh array's value) is "no summarised fault": the array needs no
 * fill, and only the pages of frames ever summarised become resident (a 5 s run of 1 TiB scans
 * a few GiB of it).
 */
const NO_TICK = 0

export class SummarisedFaults {
  /** The last epoch whose faults were delivered (summarised ones have then happened). */
  deliveredThrough = -1
  /** Whether any fault was summarised since the last `dropAllPending`. */
  any = false
  private readonly ticks: Int32Array
  /** counts[e * R + r]: summarised faults of region r due in epoch e. */
  private readonly counts: Int32Array
  /** soleCpu[r]: the only CPU process touching region r, or -1 (for procsOfRegion `soleFor`). */
  private soleCpu = new Int32Array(0)
  private soleFor: number[][] | null = null

  constructor(
    private readonly core: SimCore,
    private readonly slots: number,
  ) {
    this.ticks = new Int32Array(core.frames.count)
    this.counts = new Int32Array((Math.ceil(core.durationS / core.epochS) + 2) * core.R)
  }

  bytesPerFrame(): number {
    return this.ticks.byteLength / this.core.frames.count
  }

  /** The tick of frame f's summarised fault (meaningful while the frame has F_SUMMARY). */
  tick(f: number): number {
    return this.ticks[f] - 1
  }

  /** Whether frame f's summarised fault is still to happen (until then its PTE is PROT_NONE). */
  pending(f: number): boolean {
    return Math.floor((this.ticks[f] - 1) / this.slots) > this.deliveredThrough
  }

  /** Counts a fault of frame f (region r) due at tS, in epoch e. */
  add(f: number, r: number, e: number, tS: number): void {
    const c = this.core
    this.ticks[f] =
      Math.min(e * this.slots + this.slots - 1, Math.floor((tS / c.epochS) * this.slots)) + 1
    this.counts[e * c.R + r]++
    this.any = true
  }

  /** Takes back frame f's count if its fault is still to happen, and forgets the frame. */
  drop(f: number): void {
    const e = Math.floor((this.ticks[f] - 1) / this.slots)
    if (e > this.deliveredThrough) this.counts[e * this.core.R + this.core.regionOf(f)]--
    this.ticks[f] = NO_TICK
  }

  /** Forgets frame f without touching the counts (its fault happened, or they were dropped). */
  forget(f: number): void {
    this.ticks[f] = NO_TICK
  }

  /** Drops the counts of every fault still to happen (all are redrawn or filed as events). */
  dropAllPending(): void {
    this.counts.fill(0, (this.deliveredThrough + 1) * this.core.R)
    this.any = false
  }

  /** The only CPU process whose current phase touches region r, or -1. */
  soleCpuProcess(r: number): number {
    const c = this.core
    if (this.soleFor !== c.procsOfRegion) {
      this.soleFor = c.procsOfRegion
      this.soleCpu = Int32Array.from(c.procsOfRegion, (procs) => {
        const cpu = procs.filter((p) => c.procIsCpu[p] === 1)
        return cpu.length === 1 ? cpu[0] : -1
      })
    }
    return this.soleCpu[r]
  }

  /**
   * Epoch e's summarised faults, counted and charged as delivered ones: the hint-fault counter,
   * the CPU time of the region's process and its faults of the scan pass (`faultsSincePass`).
   */
  deliver(e: number, faultsSincePass: Float64Array): void {
    const c = this.core
    const R = c.R
    for (let r = 0; r < R; r++) {
      const n = this.counts[e * R + r]
      if (n <= 0) continue
      let p = this.soleCpuProcess(r)
      // A thread move could have made a second CPU process of the region: charge the first.
      if (p < 0) p = c.procsOfRegion[r].find((q) => c.procIsCpu[q] === 1) ?? 0
      c.counters.hintFaults += n
      c.cpu.toProcess(p, n * HINT_FAULT_CPU_S, CPU.hintFaults)
      faultsSincePass[p] += n
    }
  }
}
