import type { SimCore } from '../core'

/**
 * Summarised hint faults: faults a policy is sure to ignore (`ignoredHintFaultLatencyMs`: a
 * fault whose latency is at least that), on a region that one CPU process touches. They arrive as
 * every other fault does (drawn and filed in virtual time, taken when they fall due) and
 * restore their PTEs, are counted and charged as delivered faults (the hint-fault counter, the
 * process's CPU time, its faults of the scan pass), but skip the fault origin and the policy's
 * handler. A policy that later wants every fault (cutoff Infinity) simply gets them: the choice is
 * made per fault when it happens, with the cutoff of then, so a run with the declaration takes
 * the same faults at the same times as one without. In the reference benchmark about half of all
 * faults are summarised.
 *
 * (Until engine 0.4.0 they were counted in bulk when filed, at the filing's rate scale; that kept
 * them apart from the queue, but it tied delivered faults to the same held scale, and every move
 * of it redrew all pending faults: see hint-faults.ts.)
 */

/** CPU time of one hint fault (do_numa_page and its PTE fixup); an assumption, unconfirmed. */
export const HINT_FAULT_CPU_S = 1e-6

/** Which CPU process alone touches a region (the process a summarised fault is charged to). */
export class SoleCpuProcess {
  /** soleCpu[r]: the only CPU process touching region r, or -1 (for procsOfRegion `soleFor`). */
  private soleCpu = new Int32Array(0)
  private soleFor: number[][] | null = null

  constructor(private readonly core: SimCore) {}

  /** The only CPU process whose current phase touches region r, or -1. */
  of(r: number): number {
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
}
