/**
 * What telemetry a policy can subscribe to, and the records each source delivers. Every source is
 * one entry of the engine's telemetry table (sim/telemetry/sources.ts); a policy names the ones it
 * wants in its definition and may change them during a run (`ctx.subscribe`).
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

/** PEBS/IBS-like sampling: one in `period` CPU accesses, with node, latency and load/store. */
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

/**
 * GPU access counters: notify when a GPU's remote accesses to a counter's granule within an epoch
 * reach the threshold. A granule is an aligned run of `granularityBytes` within a region (NVIDIA's
 * UVM counts per 2 MiB by default [UVM-AC]); absent or at most `pageBytes`, one frame.
 */
export interface GpuCounterSubscription {
  threshold: number
  granularityBytes?: number
}

/**
 * A PTE accessed-bit scanner (MGLRU's page-table walk, kscand-like): every `periodMs` a kernel
 * thread per node checks and clears the accessed bit of up to `framesPerScan` of the node's frames
 * (a clock hand over them) and reports which were referenced. The same accessed-bit model backs
 * kswapd's aging and `ctx.checkAccessed`.
 */
export interface AccessedBitSubscription {
  periodMs: number
  framesPerScan: number
  /** 'slow': only nodes below the top tier (promotion candidates); 'all': every node. */
  nodes: 'all' | 'slow'
}

export interface Subscriptions {
  hintFaults?: HintFaultSubscription
  samples?: SampleSubscription
  cxlMonitor?: CxlMonitorSubscription
  gpuCounters?: GpuCounterSubscription
  accessedBits?: AccessedBitSubscription
  /** Accessed-bit checks the policy makes itself through `ctx.checkAccessed` are always allowed. */
}

export type TelemetryKind = keyof Subscriptions

export interface HintFault {
  frame: number
  /** Node the frame sits on (the source of a promotion). */
  node: number
  /** The process whose CPU access faulted. */
  process: number
  /** The faulting thread (0-based within its process). */
  thread: number
  /** Node of the faulting CPU (the promotion target). */
  cpuNode: number
  faultTimeMs: number
  scanTimeMs: number
  /**
   * What the folio's cpupid held before this fault (task_numa_fault's last_cpupid [FAIR]): the
   * socket node and process of the previous CPU fault on the frame, -1 when none was recorded. In
   * tiering mode the kernel keeps the access time there instead for slow-tier folios, so both read
   * -1 and the fault is private.
   */
  lastCpuNode: number
  lastProcess: number
  /** Same process as the previous fault (or no previous fault): cpupid_match_pid [FAIR]. */
  private: boolean
}

export interface AccessSample {
  frame: number
  node: number
  process: number
  latencyNs: number
  /**
   * The sampled access was a store (PEBS samples loads and stores as separate events, so a
   * sample says which it was); drawn with the process's write fraction. Absent: not known.
   */
  write?: boolean
  /**
   * The 4 KiB base page within the frame the sampled access hit (0 .. pageBytes/4096 − 1), as a
   * PEBS/IBS record's address tells it: what a huge-page split (Memtis) counts per subpage.
   */
  basePage?: number
}

export interface CxlHotRecord {
  frame: number
  count: number
}

export interface GpuCounterNotification {
  process: number
  /** The frame, or the first frame of the granule when the counters count granules. */
  frame: number
  node: number
  count: number
  /** Frames of the granule (from `frame` on); absent when counters count single frames. */
  frames?: number
}

/** One accessed-bit scan of a node: the frames found referenced (their bits are now clear). */
export interface AccessedBitScan {
  node: number
  checked: number
  accessed: readonly number[]
}
