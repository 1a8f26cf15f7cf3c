import type { AccessSample, SampleSubscription } from '../../vocabulary'
import type { Rng } from '../../rng'
import { frameOfBasePage, sampleBasePage } from '../../workload'
import { drawBasePage } from '../base-page-rates'
import type { SimCore } from '../core'
import { CPU } from '../cpu-ledger'
import { UNALLOCATED } from '../frames'
import type { TelemetryEnv, TelemetrySink, TelemetrySource } from './source'

/**
 * Hardware access samples (PEBS/IBS-like): one in `period` CPU accesses, each with its node,
 * latency and whether it was a store. Fast mode draws the epoch's samples directly (their count from the process's access
 * rate, each sample's frame from the pattern), so the cost follows the samples taken. Exact mode
 * keeps every period-th drawn access.
 */

/** CPU time to take and process one sample (interrupt, record parse); an assumption. */
export const SAMPLE_CPU_S = 2e-7

export class SampleSource implements TelemetrySource<'samples'> {
  readonly kind = 'samples'
  private readonly countdown: Float64Array
  readonly batch: AccessSample[] = []
  private readonly core: SimCore
  private readonly rng: Rng
  /** Whether a sample is a store: its own stream, so the frames drawn stay those of `rng`. */
  private readonly writeRng: Rng
  private readonly exact: boolean

  constructor(
    env: TelemetryEnv,
    private sub: SampleSubscription | null,
  ) {
    this.core = env.core
    this.rng = env.rng('samples')
    this.writeRng = env.rng('sample-writes')
    this.exact = env.exact
    this.countdown = new Float64Array(this.core.P).fill(sub?.period ?? 1)
  }

  get active(): boolean {
    return this.sub !== null
  }

  configure(sub: SampleSubscription | null): void {
    if (sub && !(sub.period >= 1)) throw new Error('samples: period must be at least 1')
    if (sub && this.sub?.period !== sub.period) this.countdown.fill(sub.period)
    this.sub = sub
  }

  bytesPerFrame(): number {
    return 0
  }

  deliver(sink: TelemetrySink): void {
    if (!this.sub) return
    if (!this.exact) this.drawEpoch(this.sub)
    const batch = this.take()
    if (batch.length > 0) sink.onSamples(batch)
  }

  /** Fast mode: draw this epoch's samples. */
  private drawEpoch(sub: SampleSubscription): void {
    const c = this.core
    for (let p = 0; p < c.P; p++) {
      if (c.procIsCpu[p] !== 1) continue
      const expected = (c.rate[p] * c.epochS) / sub.period
      let k = Math.floor(expected)
      if (this.rng.next() < expected - k) k++
      const phase = c.w.processes[p].phases[c.procPhase[p]]
      for (let i = 0; i < k; i++) {
        let u = this.rng.next()
        let a = phase.accesses[phase.accesses.length - 1]
        for (const x of phase.accesses) {
          u -= x.share
          if (u < 0) {
            a = x
            break
          }
        }
        const region = c.w.regions[a.region]
        const base = sampleBasePage(c.w, a, this.rng, c.nowS)
        this.record(p, frameOfBasePage(region, base), base % region.pagesPerFrame)
      }
    }
  }

  /** Exact mode: one drawn CPU access. */
  touch(f: number, p: number, _tMs: number, isCpu: boolean): void {
    if (!isCpu || !this.sub || --this.countdown[p] > 0) return
    this.countdown[p] = this.sub.period
    this.record(p, f, drawBasePage(this.core, p, f, this.rng))
  }

  private record(p: number, f: number, basePage: number): void {
    const c = this.core
    const node = c.splits === null ? c.frames.node[f] : c.splits.nodeOf(f, basePage)
    if (node === UNALLOCATED) return
    const wf = c.w.processes[p].writeFraction
    this.batch.push({
      frame: f,
      node,
      process: p,
      latencyNs: c.procNodeLatencyNs[p * c.N + node],
      write: wf > 0 && this.writeRng.next() < wf,
      basePage,
    })
    c.counters.samples++
    c.cpu.toProcess(p, SAMPLE_CPU_S, CPU.samples)
  }

  private take(): AccessSample[] {
    const out = this.batch.splice(0, this.batch.length)
    return out
  }
}
