import type { HintFault, HintFaultSubscription } from '../../vocabulary'
import type { Rng } from '../../rng'
import type { SimCore } from '../core'
import { CPU } from '../cpu-ledger'
import { FaultCalendar } from './fault-calendar'
import { FaultOrigin } from './fault-origin'
import { NumaScan, type ScanOwner } from './numa-scan'
import type { TelemetryEnv, TelemetrySink, TelemetrySource } from './source'
import { HINT_FAULT_CPU_S, SoleCpuProcess } from './summarised-faults'
import { bumpSeq, F_PROT_NONE, NODE_SHIFT } from '../frames'
import { SEQ_MASK, SEQ_RANGE, SEQ_SHIFT } from '../frames'

/**
 * NUMA-hint faults (kernel/sched/fair.c [FAIR], mm/mprotect.c [MPROT]): the telemetry source of
 * the page-table scanner (numa-scan.ts) and the faults that follow. In tiering mode top-tier pages
 * are skipped; a PTE that is already PROT_NONE keeps its old stamp. Only CPU accesses fault: GPU
 * accesses do not go through the CPU page table's NUMA hinting. Each fault says who took it and
 * what the folio's cpupid held (fault-origin.ts).
 *
 * Fast mode draws each marked frame's first CPU access after the scan from its access rate
 * (exponential: accesses are a Poisson stream) and files the fault in a calendar queue keyed by
 * virtual time (fault-calendar.ts), in which the rate stays the frame's weight however the CPU
 * rate scale moves from epoch to epoch; exact mode takes the fault at the first drawn access.
 * Frames whose chance of faulting before the run ends is below NEGLIGIBLE_PROBABILITY get no event.
 *
 * Summarised faults (faults the policy is sure to ignore, which skip its handler): see
 * summarised-faults.ts.
 */

export const NEGLIGIBLE_PROBABILITY = 1e-6
export { SCAN_CPU_S_PER_PAGE } from './numa-scan'
/** Faults of one epoch are taken in time order at this resolution (1/256 of an epoch). */
const TIME_SLOTS = 256
/**
 * A calendar record's tag: the frame's sequence number (below SEQ_RANGE = 2^12) in the low bits
 * and its scan epoch above, so delivery need not read the frame's scan epoch (a cache miss per
 * fault). A run of 2^20 epochs or more (2.9 h at 10 ms) reads the frame's instead.
 */
const TAG_SEQ_BITS = 12
const TAG_EPOCH_MASK = 0xfffff
if (SEQ_RANGE !== 1 << TAG_SEQ_BITS)
  throw new Error('hint-faults: TAG_SEQ_BITS must hold SEQ_RANGE')
/** Events whose frames deliver reads in one go before handling them (see there). */
const BATCH = 32
/** Buckets of the calendar per epoch at a CPU rate scale of 1. */
const BUCKETS_PER_EPOCH = 4
/**
 * Faults drawn beyond the virtual time the rest of the run can cover are not filed. That reach is
 * bounded by a cap on the CPU rate scale, set this far above the highest scale seen; when the
 * scale rises above the cap, which could reach faults not filed, the cap is raised and every
 * pending fault redrawn (memoryless, so exact; O(frames), rare).
 */
const SCALE_CAP_HEADROOM = 1.5

export class HintFaultScanner implements TelemetrySource<'hintFaults'>, ScanOwner {
  /** Runs with at most this many epochs keep the scan epoch in the tag (lowered by a test). */
  static epochsInTagUpTo = TAG_EPOCH_MASK
  readonly kind = 'hintFaults'
  /** Pending faults by epoch (a calendar queue with one slot per epoch of the run). */
  private readonly calendar: FaultCalendar
  /** One fault record reused for every call: handlers must not keep it. */
  private readonly event: HintFault = {
    frame: 0,
    node: 0,
    process: 0,
    thread: 0,
    cpuNode: 0,
    faultTimeMs: 0,
    scanTimeMs: 0,
    lastCpuNode: -1,
    lastProcess: -1,
    private: true,
  }
  faultsSincePass: Float64Array
  /** Summarised faults' process per region; null without a policy cutoff (and in exact mode). */
  private readonly sole: SoleCpuProcess | null
  /** Keeps deliver's look-ahead reads from being optimised away. */
  private prefetchSink = 0
  /**
   * Fault arrivals follow the frame's rate as it changes: pending faults are filed by virtual time
   * u (du = CPU rate scale × dt, fault-calendar.ts), so the epoch-to-epoch scale needs no redraw.
   * A frame's own weight changes (moving windows, phases) redraw its fault at once.
   * `uStart`: u at the start of epoch `clockEpoch`; `uScale`: that epoch's CPU rate scale.
   */
  private uStart = 0
  private clockEpoch = 0
  private uScale = 0
  private scaleCap = 0
  /** Whether records' tags carry the scan epoch (runs shorter than 2^20 epochs). */
  private readonly epochInTag: boolean
  private normalMode: boolean
  /**
   * 1 for nodes scanned: all (normal mode) or slow tiers, never device-private (no PTEs); by node
   * id, with 0 at UNALLOCATED (the scan indexes it by the state word's node byte).
   */
  readonly markNode = new Uint8Array(256)
  private readonly core: SimCore
  readonly exact: boolean
  private readonly rng: Rng
  private readonly origin: FaultOrigin
  private readonly scanner: NumaScan
  private sub: HintFaultSubscription | null
  /** Latency (ms) from which a fault at the given time is sure to be ignored; null: none. */
  private readonly ignoredLatencyMs: ((faultTimeMs: number) => number) | null
  readonly nextPeriodMs: (p: number, currentMs: number, rssBytes: number) => number

  constructor(env: TelemetryEnv, sub: HintFaultSubscription) {
    const core = env.core
    this.core = core
    this.exact = env.exact
    this.rng = env.rng('hint-faults')
    this.origin = new FaultOrigin(core, this.rng)
    // The scan stamps are this source's per-frame state: only runs with hint faults hold them.
    core.frames.keepScanEpochs()
    this.sub = sub
    const policy = env.policy()
    const ignored = policy?.ignoredHintFaultLatencyMs?.bind(policy)
    this.ignoredLatencyMs = ignored ? (tMs) => ignored(tMs, env.context()) : null
    const next = policy?.nextScanPeriodMs?.bind(policy)
    this.nextPeriodMs = next
      ? (process, periodMs, rssBytes) => next({ process, periodMs, rssBytes }, env.context())
      : (_p, periodMs) => periodMs
    this.normalMode = sub.mode === 'normal'
    this.setMarkNodes()
    this.origin.keepCpupid(this.normalMode)
    // Fast mode keeps up to about one pending fault per PROT_NONE frame (summarised ones too):
    // three quarters of all frames cover the reference scenario's peak (2.8 M of 4 Mi) without
    // regrowing (each growth copies the pool); pages of the pool never filed are never touched.
    this.calendar = new FaultCalendar(
      core.epochS / BUCKETS_PER_EPOCH,
      TIME_SLOTS,
      this.exact ? 0 : (core.frames.count * 3) / 4,
    )
    this.epochInTag =
      Math.ceil(core.durationS / core.epochS) + 1 <= HintFaultScanner.epochsInTagUpTo
    this.faultsSincePass = new Float64Array(core.P)
    this.sole = !this.exact && this.ignoredLatencyMs !== null ? new SoleCpuProcess(core) : null
    this.scanner = new NumaScan(core, this, sub)
  }

  get active(): boolean {
    return this.sub !== null
  }

  /**
   * A new subscription: the scanner keeps its place and its pending faults; a change of mode
   * changes which nodes it marks. `null` stops scanning; faults already pending still
   * restore their PTEs but reach nobody.
   */
  configure(sub: HintFaultSubscription | null): void {
    if (sub && !(sub.scanPeriodMinMs > 0 && sub.scanPeriodMaxMs > 0 && sub.scanSizeMB > 0))
      throw new Error('hintFaults: scan periods and scanSizeMB must be greater than 0')
    this.sub = sub
    if (!sub) return
    this.scanner.sub = sub
    const normal = sub.mode === 'normal'
    if (normal !== this.normalMode) {
      this.normalMode = normal
      this.setMarkNodes()
      this.origin.keepCpupid(normal)
    }
  }

  private setMarkNodes(): void {
    const c = this.core
    for (let n = 0; n < c.N; n++)
      this.markNode[n] =
        c.m.nodes[n].kind !== 'gpu-private' && (this.normalMode || c.topTierOf[n] === 0) ? 1 : 0
  }

  beginEpoch(): void {
    if (!this.exact) this.startEpochClock()
    if (!this.sub) return
    this.calendar.beginBatch()
    this.scanner.scan()
    this.calendar.endBatch()
  }

  frameMoved(f: number): void {
    this.onMigrated(f)
  }

  frameRateChanged(f: number): void {
    this.reschedule(f)
  }

  ratesChanged(): void {
    this.rescheduleAll()
  }

  /** Per-frame bytes this scanner keeps (scan stamps, cpupid). */
  bytesPerFrame(): number {
    return Object.values(this.arrayBytes()).reduce((s, b) => s + b, 0)
  }

  arrayBytes(): Record<string, number> {
    const fr = this.core.frames
    return {
      scanEpoch: fr.scanEpoch.byteLength / fr.count,
      lastCpupid: this.origin.bytesPerFrame(),
    }
  }

  /** A moved frame's PTE is fresh: any pending fault is void. */
  onMigrated(f: number): void {
    const fr = this.core.frames
    const s = fr.state[f]
    if (s & F_PROT_NONE) fr.state[f] = bumpSeq(s & ~F_PROT_NONE)
  }

  /** Virtual time (s) at the start of this epoch: each past epoch adds its scale × its length. */
  private clock(): number {
    const e = this.core.epoch
    if (e !== this.clockEpoch) {
      this.uStart += this.uScale * this.core.epochS * (e - this.clockEpoch)
      this.clockEpoch = e
    }
    return this.uStart
  }

  /** Fast mode, once the epoch's rates are solved: its scale, under the cap (raised if not). */
  private startEpochClock(): void {
    this.clock()
    const scale = this.core.cpuRateScale
    this.uScale = scale
    if (scale <= this.scaleCap) return
    const hadCap = this.scaleCap > 0
    this.scaleCap = scale * SCALE_CAP_HEADROOM
    // With no cap yet nothing can be pending (a zero reach files no fault): skip the O(frames) walk.
    if (hadCap) this.rescheduleAll()
  }

  /**
   * Fast mode: when will the frame's next CPU access come, from now? Drawn in virtual time at the
   * frame's weight, filed unless beyond what the rest of the run can reach.
   */
  schedule(f: number): void {
    const c = this.core
    const w = c.frames.cpuWeight[f]
    // Virtual time the rest of the run covers at most (every epoch's scale is at most the cap).
    const reachU = this.scaleCap * (c.durationS - c.nowS)
    if (!(w * reachU > NEGLIGIBLE_PROBABILITY)) return
    const du = this.rng.exp(w)
    if (du >= reachU) return
    const fr = c.frames
    const seq = (fr.state[f] & SEQ_MASK) >>> SEQ_SHIFT
    const tag = seq | ((fr.scanEpoch[f] & TAG_EPOCH_MASK) << TAG_SEQ_BITS)
    this.calendar.push(this.clock() + du, f, tag)
  }

  /** Frames whose rate changed while PROT_NONE: redraw (exponential delays are memoryless). */
  reschedule(f: number): void {
    if (this.exact) return
    const fr = this.core.frames
    fr.state[f] = bumpSeq(fr.state[f])
    this.schedule(f)
  }

  /**
   * After a phase change (or a raised scale cap) every pending fault was drawn from old rates.
   * O(frames). Called between deliveries only (epoch start), so nothing of this epoch is
   * delivered yet. Every PROT_NONE frame's sequence number is bumped below and every other
   * frame's events are void already, so no record in the calendar can still be taken: dropping
   * them all first saves filing, sorting and rejecting them one by one later (on the bench
   * reference ~3 M of 15 M delivered records were such leftovers of three redraws).
   */
  rescheduleAll(): void {
    if (this.exact) return
    this.calendar.clear()
    const state = this.core.frames.state
    const n = this.core.frames.count
    for (let f = 0; f < n; f++) if (state[f] & F_PROT_NONE) this.reschedule(f)
  }

  /** Fast mode: the faults of this epoch, summarised ones counted, the others in time order. */
  deliver(sink: TelemetrySink): void {
    const handler = this.sub ? sink.onHintFault : null
    this.deliverEvents(handler)
  }

  private deliverEvents(handler: ((fault: HintFault) => void) | null): void {
    if (this.exact) return
    const c = this.core
    const cal = this.calendar
    const u0 = this.clock()
    const scale = this.uScale
    // In time order (who faults first gets the free memory): a counting sort on TIME_SLOTS
    // slots of the epoch, which keeps filing order within a slot.
    const n = cal.collect(u0, u0 + scale * c.epochS)
    if (n === 0) return
    const order = cal.ordered()
    const fr = c.frames
    const startMs = c.nowS * 1000
    // Milliseconds of real time per virtual second in this epoch.
    const msPerU = scale > 0 ? 1000 / scale : 0
    const epochMs = c.epochS * 1000
    const sole = this.sole
    const state = fr.state
    const scanEpochs = fr.scanEpoch
    const epochInTag = this.epochInTag
    // Frames are random over the footprint, so each event's state word is a cache miss. A
    // short loop first reads them for a batch of events: its loads are
    // independent, so the CPU keeps many misses in flight at once instead of stalling on each
    // in turn inside the long handler loop. The reads change nothing. What a promotion touches
    // is not read ahead: most events are stale or summarised, or the policy declines them.
    let touched = 0
    for (let k0 = 0; k0 < n; k0 += BATCH) {
      const k1 = k0 + BATCH < n ? k0 + BATCH : n
      // Re-read the pool per batch: a handler that filed a fault could have grown it.
      const f64 = cal.doubles()
      const u32 = cal.words()
      for (let k = k0; k < k1; k++) {
        const g = u32[4 * order[k] + 2]
        touched += state[g]
        if (!epochInTag) touched += scanEpochs[g]
      }
      for (let k = k0; k < k1; k++) {
        const r = order[k]
        const f = u32[4 * r + 2]
        const tag = u32[4 * r + 3]
        const seq = tag & (SEQ_RANGE - 1)
        // The sequence number changes on every mark, fault and move: equal means still pending.
        const s = state[f]
        if ((s & SEQ_MASK) >>> SEQ_SHIFT !== seq || !(s & F_PROT_NONE)) continue
        // Valid, so the frame's scan epoch is the one the tag holds (a new stamp bumps seq).
        const scanEpoch = epochInTag ? tag >>> TAG_SEQ_BITS : scanEpochs[f]
        // A fault filed late for an earlier virtual time (during a delivery) is taken now.
        const du = f64[2 * r] - u0
        const tMs = du > 0 ? startMs + du * msPerU : startMs
        if (sole !== null && handler !== null) {
          const p = sole.of(c.regionOf(f))
          if (p >= 0 && tMs - scanEpoch * epochMs >= this.ignoredLatencyMs!(tMs)) {
            // Summarised: sure to be ignored, so no origin and no handler.
            this.fault(f, p, tMs, null, scanEpoch)
            continue
          }
        }
        this.fault(f, this.origin.faultingProcess(f), tMs, handler, scanEpoch)
      }
    }
    this.prefetchSink = touched
    cal.release()
  }

  /** Exact mode: a drawn CPU access of process p at tMs. */
  touch(f: number, p: number, tMs: number, isCpu: boolean, sink: TelemetrySink): void {
    const fr = this.core.frames
    if (isCpu && fr.state[f] & F_PROT_NONE)
      this.fault(f, p, tMs, this.sub ? sink.onHintFault : null, fr.scanEpoch[f])
  }

  private fault(
    f: number,
    p: number,
    tMs: number,
    handler: ((fault: HintFault) => void) | null,
    scanEpoch: number,
  ): void {
    const c = this.core
    const fr = c.frames
    // The fault restores the PTE; the frame can be marked again by a later pass.
    const s = bumpSeq(fr.state[f] & ~F_PROT_NONE)
    fr.state[f] = s
    const node = s >>> NODE_SHIFT
    c.counters.hintFaults++
    c.cpu.toProcess(p, HINT_FAULT_CPU_S, CPU.hintFaults)
    this.faultsSincePass[p]++
    if (handler === null) return
    const o = this.origin
    o.resolve(f, p, (s & SEQ_MASK) >>> SEQ_SHIFT)
    const ev = this.event
    ev.frame = f
    ev.node = node
    ev.process = p
    ev.thread = o.thread
    ev.cpuNode = o.cpuNode
    ev.faultTimeMs = tMs
    ev.scanTimeMs = scanEpoch * c.epochS * 1000
    ev.lastCpuNode = o.lastCpuNode
    ev.lastProcess = o.lastProcess
    ev.private = o.isPrivate
    handler(ev)
  }
}
