import type { Rng } from '../rng'
import { sampleFrame } from '../workload'
import type { SimCore } from './core'
import { F_ACCESSED, UNALLOCATED } from './frames'
import type { PerfResult } from './perf'
import type { ShadowCopies } from './shadow-copies'
import type { TelemetrySink } from './telemetry/source'
import type { TelemetryHub } from './telemetry/sources'

/**
 * Exact mode (DESIGN.md §4): the performance model is shared, but every access of the epoch is
 * drawn — its process (by rate), its frame (through the pattern's sampler) and its time within the
 * epoch — and hint faults, samples, accessed bits and device counters come from those draws, in
 * time order. Node access counts give the hit ratio and access shares.
 */

/** Largest experiment exact mode accepts: accesses over the whole run (estimated at idle latency). */
export const EXACT_MAX_ACCESSES = 20_000_000
/** Redraws of an access that landed on a frame not allocated yet (a growing region). */
const REDRAWS = 8

export class ExactDraws {
  /** Accesses per (process, node) in the current epoch. */
  readonly counts: Float64Array
  private times = new Float64Array(0)
  private procs = new Int32Array(0)
  private order = new Int32Array(0)
  /** Drawn accesses may be writes that invalidate shadow copies. */
  shadows: ShadowCopies | null = null

  constructor(
    private readonly core: SimCore,
    private readonly rng: Rng,
    private readonly hub: TelemetryHub,
  ) {
    this.counts = new Float64Array(core.P * core.N)
  }

  drawEpoch(r: PerfResult, sink: TelemetrySink): void {
    const c = this.core
    this.counts.fill(0)
    let total = 0
    const perProc: number[] = []
    for (let p = 0; p < c.P; p++) {
      const x = r.accessesPerS[p] * c.epochS
      let k = Math.floor(x)
      if (this.rng.next() < x - k) k++
      perProc.push(k)
      total += k
    }
    if (this.times.length < total) {
      this.times = new Float64Array(total * 2)
      this.procs = new Int32Array(total * 2)
      this.order = new Int32Array(total * 2)
    }
    const startMs = c.nowS * 1000
    const epochMs = c.epochS * 1000
    let i = 0
    for (let p = 0; p < c.P; p++)
      for (let k = 0; k < perProc[p]; k++) {
        this.times[i] = startMs + this.rng.next() * epochMs
        this.procs[i] = p
        this.order[i] = i
        i++
      }
    const times = this.times
    const ord = this.order.subarray(0, total).sort((a, b) => times[a] - times[b] || a - b)
    const fr = c.frames
    for (let j = 0; j < total; j++) {
      const e = ord[j]
      const p = this.procs[e]
      const phase = c.w.processes[p].phases[c.procPhase[p]]
      let f = -1
      for (let attempt = 0; attempt < REDRAWS && f < 0; attempt++) {
        let u = this.rng.next()
        let a = phase.accesses[phase.accesses.length - 1]
        for (const x of phase.accesses) {
          u -= x.share
          if (u < 0) {
            a = x
            break
          }
        }
        const g = sampleFrame(c.w, a, this.rng, c.nowS)
        if (fr.node[g] !== UNALLOCATED) f = g
      }
      if (f < 0) continue
      const sp = c.splits
      this.counts[p * c.N + (sp !== null && sp.isSplit(f) ? sp.drawNode(f, p) : fr.node[f])]++
      fr.state[f] |= F_ACCESSED
      this.hub.touch(f, p, times[e], c.procIsCpu[p] === 1, sink)
      this.shadows?.access(f, p)
    }
  }

  /** Top-tier share of the drawn accesses, or null when nothing was drawn. */
  hitRatio(): number | null {
    const c = this.core
    let top = 0
    let all = 0
    for (let p = 0; p < c.P; p++)
      for (let n = 0; n < c.N; n++) {
        const k = this.counts[p * c.N + n]
        all += k
        if (c.m.nodes[n].topTier) top += k
      }
    return all > 0 ? top / all : null
  }
}
