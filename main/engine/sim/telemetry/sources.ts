import type { Subscriptions, TelemetryKind } from '../../vocabulary'
import { AccessedBitScanner } from './accessed-bits'
import { CxlMonitorSource, DeviceCounters, GpuCounterSource } from './device-counters'
import { HintFaultScanner } from './hint-faults'
import { SampleSource } from './samples'
import type { TelemetryEnv, TelemetrySink, TelemetrySource } from './source'

/**
 * Every telemetry source, in one table (as create-services.ts plugs its handlers): how to build
 * it and where it sits in an epoch. Sources deliver in table order; in exact mode a drawn access
 * reaches the device counters before the CPU-side sources (a fault's promotion must not hide the
 * access from the device that served it). Adding a source is one entry here plus its class.
 */
interface SourceEntry<K extends TelemetryKind> {
  /** Built on the first subscription (which it receives; `configure` follows at once). */
  create(
    env: TelemetryEnv,
    sub: NonNullable<Subscriptions[K]>,
    shared: SharedDevices,
  ): TelemetrySource
  /** Position among the exact-mode `touch` calls (lower first). */
  touchOrder: number
}

/** The CXL monitor and the GPU counters share one device-counter model and its stream. */
class SharedDevices {
  private dev: DeviceCounters | null = null
  constructor(private readonly env: TelemetryEnv) {}
  get(): DeviceCounters {
    this.dev ??= new DeviceCounters(this.env.core, this.env.rng('devices'))
    return this.dev
  }
}

const TELEMETRY_SOURCES: { [K in TelemetryKind]-?: SourceEntry<K> } = {
  hintFaults: { create: (env, sub) => new HintFaultScanner(env, sub), touchOrder: 2 },
  samples: { create: (env, sub) => new SampleSource(env, sub), touchOrder: 3 },
  cxlMonitor: { create: (env, _s, d) => new CxlMonitorSource(env, d.get()), touchOrder: 0 },
  gpuCounters: { create: (env, _s, d) => new GpuCounterSource(env, d.get()), touchOrder: 1 },
  accessedBits: { create: (env) => new AccessedBitScanner(env.core, env.bits), touchOrder: 4 },
}
const KINDS = Object.keys(TELEMETRY_SOURCES) as TelemetryKind[]

/**
 * The policy's telemetry during a run: sources are built on first subscription and kept (a
 * stopped source keeps its state, so a restart continues), frame events reach the sources that
 * listen, and each epoch's records go to the policy in table order.
 */
export class TelemetryHub {
  private readonly byKind = new Map<TelemetryKind, TelemetrySource>()
  private readonly shared: SharedDevices
  /** Sources with each frame event, rebuilt when a source is created. */
  private placed: TelemetrySource[] = []
  private moved: TelemetrySource[] = []
  private rateListeners: TelemetrySource[] = []
  private touchers: TelemetrySource[] = []
  private current: Subscriptions = {}

  constructor(private readonly env: TelemetryEnv) {
    this.shared = new SharedDevices(env)
  }

  /** Starts, reconfigures (a subscription) or stops (null) sources. */
  configure(changes: { [K in TelemetryKind]?: Subscriptions[K] | null }): void {
    for (const kind of KINDS) {
      if (!(kind in changes)) continue
      const sub = changes[kind]
      let src = this.byKind.get(kind)
      if (!src && sub) {
        const entry = TELEMETRY_SOURCES[kind] as SourceEntry<typeof kind>
        src = entry.create(this.env, sub as never, this.shared)
        this.byKind.set(kind, src)
        this.relist()
      }
      ;(src as TelemetrySource | undefined)?.configure((sub ?? null) as never)
      const next = { ...this.current }
      if (sub) (next as Record<string, unknown>)[kind] = { ...sub }
      else delete next[kind]
      this.current = next
    }
  }

  subscriptions(): Subscriptions {
    return this.current
  }

  private relist(): void {
    const all = KINDS.map((k) => this.byKind.get(k)).filter((s): s is TelemetrySource => !!s)
    this.placed = all.filter((s) => s.framePlaced)
    this.moved = all.filter((s) => s.frameMoved)
    this.rateListeners = all.filter((s) => s.frameRateChanged || s.ratesChanged)
    this.touchers = all
      .filter((s) => s.touch)
      .sort((a, b) => TELEMETRY_SOURCES[a.kind].touchOrder - TELEMETRY_SOURCES[b.kind].touchOrder)
  }

  source<K extends TelemetryKind>(kind: K): TelemetrySource<K> | undefined {
    return this.byKind.get(kind) as TelemetrySource<K> | undefined
  }

  bytesPerFrame(): number {
    let b = 0
    for (const s of this.byKind.values()) b += s.bytesPerFrame()
    return b
  }

  /** Per-frame arrays of every source built so far, "kind.array" → bytes per frame. */
  arrayBytes(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [kind, s] of this.byKind) {
      const parts = s.arrayBytes?.() ?? { arrays: s.bytesPerFrame() }
      for (const [name, bytes] of Object.entries(parts))
        if (bytes > 0) out[`${kind}.${name}`] = bytes
    }
    return out
  }

  beginEpoch(): void {
    for (const k of KINDS) this.byKind.get(k)?.beginEpoch?.()
  }

  deliver(sink: TelemetrySink): void {
    for (const k of KINDS) this.byKind.get(k)?.deliver(sink)
  }

  touch(f: number, p: number, tMs: number, isCpu: boolean, sink: TelemetrySink): void {
    const t = this.touchers
    for (let i = 0; i < t.length; i++) t[i].touch!(f, p, tMs, isCpu, sink)
  }

  framePlaced(f: number): void {
    const l = this.placed
    for (let i = 0; i < l.length; i++) l[i].framePlaced!(f)
  }

  /**
   * framePlaced for frames [f0, f0 + count) (the start's allocation runs): with one listener
   * (the usual hint-fault scanner) a tight loop on it, else frame by frame as framePlaced.
   */
  framesPlaced(f0: number, count: number): void {
    const l = this.placed
    const end = f0 + count
    if (l.length === 1) {
      const s = l[0]
      for (let f = f0; f < end; f++) s.framePlaced!(f)
    } else if (l.length > 1) for (let f = f0; f < end; f++) this.framePlaced(f)
  }

  frameMoved(f: number): void {
    const l = this.moved
    for (let i = 0; i < l.length; i++) l[i].frameMoved!(f)
  }

  frameRateChanged(f: number): void {
    const l = this.rateListeners
    for (let i = 0; i < l.length; i++) l[i].frameRateChanged?.(f)
  }

  ratesChanged(): void {
    const l = this.rateListeners
    for (let i = 0; i < l.length; i++) l[i].ratesChanged?.()
  }

  /** Whether any source listens for frame rate changes (moving windows call it per frame). */
  get wantsRateChanges(): boolean {
    return this.rateListeners.length > 0
  }
}
