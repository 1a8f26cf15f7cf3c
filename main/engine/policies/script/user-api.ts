import type {
  AccessSample,
  AccessedBitScan,
  AllocationRequest,
  CxlHotRecord,
  GpuCounterNotification,
  HintFault,
  PolicyContext,
  ReclaimConfig,
  ScanPassEnd,
  Subscriptions,
} from '../api'

/**
 * The API of a user policy script, as scripts see it: the built-ins' context and events
 * (policies/api.ts), plus what the sandbox adds. scripts/gen-policy-api-dts.ts turns this file and
 * the types it uses into resources/policy-api.d.ts, which the editor completes from and
 * `tierlab check-policy` type-checks against.
 */

/** A knob as a script declares it; the form, validation and `tierlab policies` derive from it. */
export interface KnobDeclaration {
  default: number | boolean | string
  min?: number
  max?: number
  /** Whole numbers only. */
  integer?: boolean
  /** The allowed strings of a choice knob. */
  values?: string[]
  unit?: string
  description?: string
}

/**
 * Hint faults the policy is sure to ignore, for the current epoch: a latency (ms) — Infinity to
 * see every fault — or steps: `latencyMs[i]` for faults at or before `untilMs[i]`, the last value
 * after the last breakpoint. Asked once per epoch, before any fault of the epoch is delivered.
 */
export type HintFaultCutoff = number | { untilMs: number[]; latencyMs: number[] }

export interface ScriptHooks {
  place?(req: AllocationRequest, ctx: PolicyContext): number
  onEpoch?(ctx: PolicyContext): void
  /** One fault at a time, in time order (what exact clones of kernel policies need). */
  onHintFault?(fault: HintFault, ctx: PolicyContext): void
  /** All faults of an epoch at once, after they were counted (cheaper; used without onHintFault). */
  onHintFaults?(faults: HintFault[], ctx: PolicyContext): void
  onSamples?(samples: AccessSample[], ctx: PolicyContext): void
  onCxlHotRecords?(node: number, records: CxlHotRecord[], ctx: PolicyContext): void
  onGpuCounter?(notifications: GpuCounterNotification[], ctx: PolicyContext): void
  /** One accessed-bit scan of a node (subscribe with accessedBits). */
  onAccessedBits?(scan: AccessedBitScan, ctx: PolicyContext): void
  ignoredHintFaultLatencyMs?(ctx: PolicyContext): HintFaultCutoff
  nextScanPeriodMs?(pass: ScanPassEnd, ctx: PolicyContext): number
}

/** The default export of a policy script. */
// Knob values are any by default so a script reads `knobs.period * 2` without casts; a TypeScript
// script can name its own knob type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface PolicyScript<K = Record<string, any>> {
  name: string
  description?: string
  knobs?: Record<string, KnobDeclaration>
  subscriptions?(knobs: K): Subscriptions
  reclaim?(knobs: K): Partial<ReclaimConfig>
  create(knobs: K, ctx: PolicyContext): ScriptHooks
}
