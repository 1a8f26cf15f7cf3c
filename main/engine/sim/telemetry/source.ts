import type {
  AccessedBitScan,
  AccessSample,
  CxlHotRecord,
  GpuCounterNotification,
  HintFault,
  PolicyContext,
  PolicyInstance,
  Subscriptions,
  TelemetryKind,
} from '../../vocabulary'
import type { Rng } from '../../rng'
import type { SimCore } from '../core'
import type { AccessedBitModel } from './accessed-bits'

/** Where a source hands its records: the policy's hooks, bound to its context. */
export interface TelemetrySink {
  onHintFault(fault: HintFault): void
  onSamples(batch: readonly AccessSample[]): void
  onCxlHotRecords(node: number, records: readonly CxlHotRecord[]): void
  onGpuCounter(notes: readonly GpuCounterNotification[]): void
  onAccessedBits(scan: AccessedBitScan): void
}

/** What a source may use: the shared state, the mode, its own random stream, the policy. */
export interface TelemetryEnv {
  core: SimCore
  exact: boolean
  /** The source's own stream (forked from the run's seed by its label). */
  rng(label: string): Rng
  bits: AccessedBitModel
  /** The policy instance, once created (adaptive scan periods, fault cut-offs). */
  policy(): PolicyInstance | null
  /** The context the policy's hooks receive. */
  context(): PolicyContext
}

/**
 * One telemetry source (DESIGN.md §5). It keeps its own cost accounting (through the CPU ledger),
 * its own per-frame memory (counted by bytesPerFrame), and hears about frame events it cares
 * about. `configure(null)` stops it; a later subscription restarts or reconfigures it.
 */
export interface TelemetrySource<K extends TelemetryKind = TelemetryKind> {
  readonly kind: K
  readonly active: boolean
  configure(sub: NonNullable<Subscriptions[K]> | null): void
  bytesPerFrame(): number
  /** Its per-frame arrays by name, bytes per frame each (bytesPerFrame is their sum). */
  arrayBytes?(): Record<string, number>
  /** Start of an epoch, after the solve and before exact mode's draws (scans). */
  beginEpoch?(): void
  /** Exact mode: one drawn access of process p at tMs (CPU accesses only when `cpuOnly`). */
  touch?(f: number, p: number, tMs: number, isCpu: boolean, sink: TelemetrySink): void
  /** Hands this epoch's records to the policy (fast mode draws them first). */
  deliver(sink: TelemetrySink): void
  /** A frame was allocated, or its node changed by a migration. */
  framePlaced?(f: number): void
  frameMoved?(f: number): void
  /** A PROT_NONE frame's rate changed (moving windows). */
  frameRateChanged?(f: number): void
  /** Every rate changed (a phase change). */
  ratesChanged?(): void
}
