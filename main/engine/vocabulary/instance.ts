import type { PolicyContext } from './context'
import type {
  AccessedBitScan,
  AccessSample,
  CxlHotRecord,
  GpuCounterNotification,
  HintFault,
} from './telemetry'

/** kswapd-like reclaim by demotion (mm/vmscan.c [VMS]); the engine runs it when enabled. */
export interface ReclaimConfig {
  /** /sys/kernel/mm/numa/demotion_enabled [ABI-NUMA]. */
  demotionEnabled: boolean
  /** kswapd balances a node up to this watermark: 'promo' in tiering mode [VMS], else 'high'. */
  balanceTo: 'high' | 'promo'
}

/** A process's NUMA scanner finished a pass over its address space. */
export interface ScanPassEnd {
  process: number
  /** The period (time between two scan windows) in force, ms. */
  periodMs: number
  /** The process's resident bytes now (sets the kernel's scan-period bounds). */
  rssBytes: number
}

export interface AllocationRequest {
  frame: number
  region: number
  /** The first-touching process. */
  process: number
  /** The engine's default choice: local first, then nearest by distance with room. */
  defaultNode: number
  /** Allocation sequence number within the run (for interleaving). */
  sequence: number
}

/** Ground truth, handed only to definitions that declare `needsTruth`. */
export interface TruthView {
  /** Current access rate of a frame, accesses/s (all initiators). */
  frameAccessRate(frame: number): number
  /** All frames, hottest first (valid while orderVersion() is unchanged). */
  hotOrder(): Uint32Array
  /** How many of the hottest frames fit in the top tier (the truly hot set). */
  hotSetFrames(): number
  /** Changes whenever the order is recomputed (phase changes, moving windows). */
  orderVersion(): number
  /**
   * Access rate of each 4 KiB base page of a frame, accesses/s, address order (pageBytes/4096
   * values; one at 4 KiB). Sums to frameAccessRate(frame).
   */
  frameBaseRates?(frame: number): Float64Array
  /**
   * How unevenly a frame's base pages are accessed: the hottest one's rate over their mean, from 1
   * (even) to pageBytes/4096 (all on one). Always 1 at 4 KiB.
   */
  frameBaseSkew?(frame: number): number
}

export interface PolicyInstance {
  /** Node for a new frame; return `defaultNode` to keep the engine's choice. */
  place?(req: AllocationRequest, ctx: PolicyContext): number
  onEpoch?(ctx: PolicyContext): void
  onHintFault?(fault: HintFault, ctx: PolicyContext): void
  onSamples?(samples: readonly AccessSample[], ctx: PolicyContext): void
  onCxlHotRecords?(node: number, records: readonly CxlHotRecord[], ctx: PolicyContext): void
  onGpuCounter?(notifications: readonly GpuCounterNotification[], ctx: PolicyContext): void
  onAccessedBits?(scan: AccessedBitScan, ctx: PolicyContext): void
  /**
   * Hint faults the policy is sure to ignore: a fault at `faultTimeMs` whose latency (fault − scan
   * time, ms) is at least the returned value, provided the answer at every epoch start until then
   * stays finite. The engine counts and charges such faults without calling onHintFault (most
   * faults of a cold tail; the kernel drops them the same way, after the same work). Return
   * Infinity to see every fault; pending ones are then delivered after all. Absent: all faults.
   */
  ignoredHintFaultLatencyMs?(faultTimeMs: number, ctx: PolicyContext): number
  /** Period of the NUMA scanner after a scan pass (adaptive policies); default keeps it. */
  nextScanPeriodMs?(pass: ScanPassEnd, ctx: PolicyContext): number
}
