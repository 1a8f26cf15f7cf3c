import type { z } from 'zod'
import type { TopologyAnalysis } from '../../../shared/analysis'
import type { Rng } from '../rng'

/**
 * The policy API (DESIGN.md §5). A policy sees only what the real mechanism would see: telemetry
 * it subscribed to, machine facts (the analysis, free/used memory, watermarks, PMU-like counters)
 * and the page table (which node holds a frame). It acts through migrations, exchanges and thread
 * moves, whose cost the engine charges. Only `oracle` receives a `TruthView`.
 */

/** NUMA-balancing page-table scanner (kernel/sched/fair.c [FAIR]). */
export interface HintFaultSubscription {
  /** 'tiering' (numa_balancing=2): top-tier nodes are not scanned [MPROT]. 'normal': all nodes. */
  mode: 'tiering' | 'normal'
  scanDelayMs: number
  scanPeriodMinMs: number
  scanPeriodMaxMs: number
  scanSizeMB: number
}

/** PEBS/IBS-like sampling: one in `period` CPU accesses, with node and latency. */
export interface SampleSubscription {
  period: number
}

/** CXL device hotness monitor (CXL r3.2 CHMU, epoch mode [CHMU]). */
export interface CxlMonitorSubscription {
  /** Accesses to a frame within one epoch at or above which it is reported. */
  threshold: number
  /** Records the device keeps per epoch (its ring buffer). */
  maxRecords: number
}

/** GPU access counters (per frame): notify when a GPU's remote accesses reach the threshold. */
export interface GpuCounterSubscription {
  threshold: number
}

export interface Subscriptions {
  hintFaults?: HintFaultSubscription
  samples?: SampleSubscription
  cxlMonitor?: CxlMonitorSubscription
  gpuCounters?: GpuCounterSubscription
  /** Accessed-bit checks the policy makes itself through `ctx.checkAccessed` are always allowed. */
}

/** kswapd-like reclaim by demotion (mm/vmscan.c [VMS]); the engine runs it when enabled. */
export interface ReclaimConfig {
  /** /sys/kernel/mm/numa/demotion_enabled [ABI-NUMA]. */
  demotionEnabled: boolean
  /** kswapd balances a node up to this watermark: 'promo' in tiering mode [VMS], else 'high'. */
  balanceTo: 'high' | 'promo'
}

export interface Watermarks {
  minBytes: number
  lowBytes: number
  highBytes: number
  promoBytes: number
}

/** What a PMU/uncore counter would give for a node over the last epoch. */
export interface NodeCounters {
  readBytesPerS: number
  writeBytesPerS: number
  /** Bandwidth used ÷ peak bandwidth. */
  utilisation: number
  /** Mean loaded latency seen by the node's accesses, ns (as Colloid derives from CHA occupancy). */
  loadedLatencyNs: number
}

export interface ProcessInfo {
  index: number
  id: string
  /** Current initiator component id (changes with `moveThreads`). */
  initiator: string
  kind: 'cpu' | 'gpu'
  /** Node the process allocates on locally: its socket's node, a coherent GPU's HBM, or for a
   * non-coherent GPU the nearest CPU node. */
  homeNode: number
  threads: number
}

export interface RegionInfo {
  index: number
  id: string
  frameStart: number
  frameCount: number
}

export type MigrationMode = 'sync' | 'async'

export type MigrationOutcome =
  | 'migrated'
  /** Target below high watermark + the frame [MIG]: kswapd woken, -EAGAIN. */
  | 'no-memory'
  | 'same-node'
  | 'not-allocated'

/** The view every hook receives. */
export interface PolicyContext {
  readonly analysis: TopologyAnalysis
  readonly pageBytes: number
  /** Simulated time at the start of the current epoch, s. */
  readonly nowS: number
  readonly epoch: number
  readonly epochS: number
  readonly nodeCount: number
  readonly processes: readonly ProcessInfo[]
  readonly regions: readonly RegionInfo[]
  readonly totalFrames: number
  /** The policy's own random stream (seeded from the run's seed). */
  readonly rng: Rng
  isTopTier(node: number): boolean
  /** 0 for the top tier, 1 for the next, … */
  tierOrdinal(node: number): number
  nodeCapacityBytes(node: number): number
  nodeFreeBytes(node: number): number
  nodeUsedBytes(node: number): number
  watermarks(node: number): Watermarks
  /** PMU-like counters of the last epoch. */
  nodeCounters(node: number): NodeCounters
  /** Node of the nearest socket (for kernel threads working for a CPU-less node). */
  nearestCpuNode(node: number): number
  /** The page table: which node holds the frame (-1 while unallocated). */
  frameNode(frame: number): number
  /** Whether the frame's accessed bit was set since the last check, then clears it (charged). */
  checkAccessed(frame: number): boolean
  /** Migrates a frame. `sync` charges the CPU to `chargeProcess`; `async` to a kernel thread. */
  migrate(
    frame: number,
    targetNode: number,
    mode: MigrationMode,
    chargeProcess?: number,
  ): MigrationOutcome
  /** Swaps the nodes of two frames (both move; counted as one exchange). */
  exchange(
    frameA: number,
    frameB: number,
    mode: MigrationMode,
    chargeProcess?: number,
  ): MigrationOutcome
  /** Moves a process's threads to another socket (its initiator changes). */
  moveThreads(process: number, socketComponent: string): void
  /** Wakes the node's kswapd (it demotes if the policy's reclaim enables demotion). */
  wakeKswapd(node: number): void
  /** Charges policy CPU time: to a process (slowing it) or to a kernel thread on a node's socket. */
  chargeCpu(seconds: number, to: { process: number } | { kernelNode: number }): void
  /** Bytes migrated to a node this epoch so far (for rate limits that count what moved). */
  migratedToNodeBytes(node: number): number
}

/** A process's NUMA scanner finished a pass over its address space. */
export interface ScanPassEnd {
  process: number
  /** The period (time between two scan windows) in force, ms. */
  periodMs: number
  /** The process's resident bytes now (sets the kernel's scan-period bounds). */
  rssBytes: number
}

export interface HintFault {
  frame: number
  /** Node the frame sits on (the source of a promotion). */
  node: number
  /** The process whose CPU access faulted. */
  process: number
  /** Node of the faulting CPU (the promotion target). */
  cpuNode: number
  faultTimeMs: number
  scanTimeMs: number
}

export interface AccessSample {
  frame: number
  node: number
  process: number
  latencyNs: number
}

export interface CxlHotRecord {
  frame: number
  count: number
}

export interface GpuCounterNotification {
  process: number
  frame: number
  node: number
  count: number
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

/** Ground truth: only the oracle gets this. */
export interface TruthView {
  /** Current access rate of a frame, accesses/s (all initiators). */
  frameAccessRate(frame: number): number
  /** All frames, hottest first (valid while orderVersion() is unchanged). */
  hotOrder(): Uint32Array
  /** How many of the hottest frames fit in the top tier (the truly hot set). */
  hotSetFrames(): number
  /** Changes whenever the order is recomputed (phase changes, moving windows). */
  orderVersion(): number
}

export interface PolicyInstance {
  /** Node for a new frame; return `defaultNode` to keep the engine's choice. */
  place?(req: AllocationRequest, ctx: PolicyContext): number
  onEpoch?(ctx: PolicyContext): void
  onHintFault?(fault: HintFault, ctx: PolicyContext): void
  onSamples?(samples: readonly AccessSample[], ctx: PolicyContext): void
  onCxlHotRecords?(node: number, records: readonly CxlHotRecord[], ctx: PolicyContext): void
  onGpuCounter?(notifications: readonly GpuCounterNotification[], ctx: PolicyContext): void
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

export interface PolicyDefinition<S extends z.ZodObject = z.ZodObject> {
  id: string
  name: string
  description: string
  /** Knob schema; each knob carries its label, unit and description (`knob()` in ./knob.ts). */
  knobs: S
  subscriptions(knobs: z.output<S>): Subscriptions
  reclaim(knobs: z.output<S>): ReclaimConfig
  create(knobs: z.output<S>, ctx: PolicyContext, truth: TruthView | null): PolicyInstance
}

/** Keeps the knob type of each definition while storing them in one list. */
export function definePolicy<S extends z.ZodObject>(def: PolicyDefinition<S>): PolicyDefinition {
  return def as unknown as PolicyDefinition
}
