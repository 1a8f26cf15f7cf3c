import type { TopologyAnalysis } from '../../../shared/analysis'
import type { Rng } from '../rng'
import type { Subscriptions } from './telemetry'

/**
 * The view every policy hook receives (DESIGN.md §5). A policy sees only what the real mechanism
 * would see: telemetry it subscribed to, machine facts (the analysis, free/used memory,
 * watermarks, PMU-like counters) and the page table (which node holds a frame). It acts through
 * migrations, exchanges and thread moves, whose cost the engine charges.
 */

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
  /**
   * Requests to the node per second (the CHA's TOR inserts); absent where the host cannot count
   * them. With `occupancy` it gives the loaded latency by Little's law: occupancy ÷ inserts.
   */
  accessesPerS?: number
  /** Mean requests to the node in flight (the CHA's TOR occupancy): accessesPerS × latency. */
  occupancy?: number
}

export interface ProcessInfo {
  index: number
  id: string
  /** Initiator component of the process's first thread (changes with thread moves). */
  initiator: string
  kind: 'cpu' | 'gpu'
  /** Node the process allocates on locally: its first thread's socket node, a coherent GPU's
   * HBM, or for a non-coherent GPU the nearest CPU node. */
  homeNode: number
  /** Node of the initiator's own memory: a socket's DRAM, a GPU's HBM (for a non-coherent GPU
   * its device-private memory, a migration target outside the kernel's nodes); -1 if none. */
  ownMemoryNode: number
  threads: number
}

export interface RegionInfo {
  index: number
  id: string
  frameStart: number
  frameCount: number
  /** What backs the pages: anonymous memory, a file's page cache, or tmpfs (default 'anon'). */
  backing?: 'anon' | 'file' | 'tmpfs'
}

export type MigrationMode = 'sync' | 'async'

export type MigrationOutcome =
  | 'migrated'
  /** Async: handed to the target node's kernel thread; it moves (or drops) the frame later. */
  | 'queued'
  /** Target below high watermark + the frame [MIG]: kswapd woken, -EAGAIN. */
  | 'no-memory'
  | 'same-node'
  | 'not-allocated'
  /** The target cannot hold pages migrated there (a node the hardware does not migrate into). */
  | 'not-migratable'

export interface MigrateOptions {
  /** Sync: the process whose faulting thread pays (and copies). */
  chargeProcess?: number
  /** Async: the kernel thread that queues and copies, per target node; default 'kmigrated'. */
  kernelThread?: string
  /**
   * Non-exclusive tiering (NOMAD): when this move promotes the frame, its old copy stays on the
   * slow node as a shadow until the page is written, so a later demotion there is a remap without
   * a copy. An asynchronous move is then transactional: it aborts if the page is written during
   * the copy.
   */
  keepShadow?: boolean
}

/** What `splitFrame` did ('not-huge': the run's frames are 4 KiB base pages, nothing to split). */
export type SplitOutcome = 'split' | 'already-split' | 'not-huge' | 'not-allocated'

/** Shadow copies (MigrateOptions.keepShadow): memory they hold now and run totals. */
export interface ShadowCopyStats {
  /** Bytes held by valid shadow copies now, all nodes. */
  shadowBytes: number
  /** Writes that invalidated a shadow (the page became dirty). */
  writeInvalidations: number
  /** Demotions that remapped to a clean shadow: nothing copied. */
  freeDemotions: number
  /** Bytes copied by demotions of pages without a clean shadow. */
  demotionCopyBytes: number
  /** Transactional promotions aborted because the page was written during the copy. */
  abortedPromotions: number
  /** Shadows freed because their node fell below its high watermark. */
  reclaimedShadows: number
}

/** Units a policy series can be published in are free text; `better` tells charts which way. */
export interface PolicySeriesSpec {
  label: string
  unit: string
  better: 'higher' | 'lower' | 'neutral'
}

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
  /**
   * Migrates a frame. `sync` moves it now and charges the faulting thread of `chargeProcess`;
   * `async` queues it on the target node's kernel thread, which moves it later within its CPU
   * budget and the copy bandwidth left ('queued'), or drops it.
   */
  migrate(
    frame: number,
    targetNode: number,
    mode: MigrationMode,
    chargeProcess?: number | MigrateOptions,
  ): MigrationOutcome
  /** Swaps the nodes of two frames (both move; counted as one exchange); always done now. */
  exchange(
    frameA: number,
    frameB: number,
    mode: MigrationMode,
    chargeProcess?: number,
  ): MigrationOutcome
  /** Frames queued for asynchronous migration to a node, not moved yet. */
  queuedToNode(node: number): number
  /** Moves every thread of a process to another socket. */
  moveThreads(process: number, socketComponent: string): void
  /** Socket component a thread of a process runs on now. */
  threadSocket(process: number, thread: number): string
  /** Moves one thread to another socket (task_numa_migrate's move [FAIR]). */
  moveThread(process: number, thread: number, socketComponent: string): void
  /** Swaps the sockets of two threads (task_numa_migrate's swap with the best task [FAIR]). */
  swapThreads(processA: number, threadA: number, processB: number, threadB: number): void
  /** Wakes the node's kswapd (it demotes if the policy's reclaim enables demotion). */
  wakeKswapd(node: number): void
  /** Charges policy CPU time: to a process (slowing it) or to a kernel thread on a node's socket. */
  chargeCpu(seconds: number, to: { process: number } | { kernelNode: number }): void
  /** Bytes migrated to a node this epoch so far (for rate limits that count what moved). */
  migratedToNodeBytes(node: number): number
  /**
   * Changes the policy's telemetry from now on: each named source is started (or reconfigured),
   * `null` stops it. Sources not named keep running.
   */
  subscribe(changes: { [K in keyof Subscriptions]?: Subscriptions[K] | null }): void
  /** Telemetry in force now. */
  subscriptions(): Subscriptions
  /** Shadow copies kept by `keepShadow` migrations (absent where the host has none). */
  shadowStats?(): ShadowCopyStats
  /**
   * Splits a huge page (split_huge_page): afterwards its base pages (4 KiB, numbered 0.. in
   * address order within the frame, as `AccessSample.basePage`) can be moved one by one with
   * `migrateBasePages`. The frame stays the unit of `frameNode` (the node of the base pages not
   * moved away) and of whole-frame migrations, which take those base pages along. Absent where the
   * host cannot split.
   */
  splitFrame?(frame: number): SplitOutcome
  /** Whether the frame was split. */
  isSplit?(frame: number): boolean
  /** Node of one base page of a frame (its frame's node unless it was moved on its own). */
  basePageNode?(frame: number, basePage: number): number
  /**
   * Moves base pages of a split frame to a node, now (all or nothing: 'no-memory' when the target
   * cannot keep its high watermark plus their bytes free). Charged like migrations of 4 KiB pages
   * in one batch: `sync` to the faulting thread of `chargeProcess`, `async` to the target node's
   * kernel thread. Throws when the frame is not split or a base page is not in it.
   */
  migrateBasePages?(
    frame: number,
    basePages: readonly number[],
    targetNode: number,
    mode: MigrationMode,
    chargeProcess?: number | MigrateOptions,
  ): MigrationOutcome
  /** A value of one of the definition's declared `series` for this epoch (last one wins). */
  publish(name: string, value: number): void
}
