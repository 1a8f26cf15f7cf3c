import type { TopologyAnalysis } from '../../../shared/analysis'
import type {
  MigrateOptions,
  MigrationMode,
  NodeCounters,
  PolicyContext,
  ProcessInfo,
  RegionInfo,
  ShadowCopyStats,
  SplitOutcome,
  Subscriptions,
  Watermarks,
} from '../vocabulary'
import type { Rng } from '../rng'
import type { SimCore } from './core'
import { CPU } from './cpu-ledger'
import { UNALLOCATED } from './frames'
import type { Migrator } from './migration'
import type { PerfResult } from './perf'
import type { ShadowCopies } from './shadow-copies'
import type { SplitFrames } from './split-frames'
import type { AccessedBitModel } from './telemetry/accessed-bits'
import type { TelemetryHub } from './telemetry/sources'

/** Where published policy values go (the run's metrics). */
export interface PublishTarget {
  publish(name: string, value: number): void
}

/**
 * The policy's view of the machine (vocabulary/context.ts): facts and actions only; the truth
 * (access rates, hotness) is not reachable from here.
 */
export class SimContext implements PolicyContext {
  readonly processes: ProcessInfo[]
  readonly regions: RegionInfo[]
  perf: PerfResult | null = null
  hub: TelemetryHub | null = null
  publisher: PublishTarget | null = null
  shadows: ShadowCopies | null = null
  splits: SplitFrames | null = null

  constructor(
    private readonly core: SimCore,
    private readonly migrator: Migrator,
    readonly analysis: TopologyAnalysis,
    readonly rng: Rng,
    private readonly bits: AccessedBitModel,
  ) {
    this.processes = core.w.processes.map((p, i) => ({
      index: i,
      id: p.id,
      initiator: p.initiator,
      kind: core.procIsCpu[i] === 1 ? 'cpu' : 'gpu',
      homeNode: core.procHome[i],
      ownMemoryNode: core.m.initiators[core.procInitiator[i]].node ?? -1,
      threads: p.threads,
    }))
    this.regions = core.w.regions.map((r) => ({
      index: r.index,
      id: r.id,
      frameStart: r.frameStart,
      frameCount: r.frameCount,
      backing: r.backing ?? 'anon',
    }))
  }

  get pageBytes(): number {
    return this.core.pageBytes
  }
  get nowS(): number {
    return this.core.nowS
  }
  get epoch(): number {
    return this.core.epoch
  }
  get epochS(): number {
    return this.core.epochS
  }
  get nodeCount(): number {
    return this.core.N
  }
  get totalFrames(): number {
    return this.core.frames.count
  }
  isTopTier(node: number): boolean {
    return this.core.topTierOf[node] === 1
  }
  tierOrdinal(node: number): number {
    return this.core.tierOrdinal[node]
  }
  nodeCapacityBytes(node: number): number {
    return this.core.m.nodes[node].capacityBytes
  }
  nodeFreeBytes(node: number): number {
    return this.core.freeBytes(node)
  }
  nodeUsedBytes(node: number): number {
    return this.core.usedBytes(node)
  }
  watermarks(node: number): Watermarks {
    return this.core.m.nodes[node].watermarks
  }
  nodeCounters(node: number): NodeCounters {
    const r = this.perf
    if (!r)
      return {
        readBytesPerS: 0,
        writeBytesPerS: 0,
        utilisation: 0,
        loadedLatencyNs: 0,
        accessesPerS: 0,
        occupancy: 0,
      }
    const accessesPerS = r.nodeAccessesPerS[node]
    return {
      readBytesPerS: r.nodeReadBytesPerS[node],
      writeBytesPerS: r.nodeWriteBytesPerS[node],
      utilisation: r.nodeUtilisation[node],
      loadedLatencyNs: r.nodeServedLatencyNs[node] || r.nodeLoadedLatencyNs[node],
      accessesPerS,
      // Little's law on the closed loop's solution: requests in flight = rate × time each stays.
      occupancy: accessesPerS * r.nodeServedLatencyNs[node] * 1e-9,
    }
  }
  nearestCpuNode(node: number): number {
    return this.core.m.nodes[node].cpuNode
  }
  frameNode(frame: number): number {
    const n = this.core.frames.node[frame]
    return n === UNALLOCATED ? -1 : n
  }
  checkAccessed(frame: number): boolean {
    return this.bits.check(frame, Math.max(0, this.frameNode(frame)))
  }
  migrate(
    frame: number,
    targetNode: number,
    mode: MigrationMode,
    chargeProcess?: number | MigrateOptions,
  ) {
    return this.migrator.migrate(frame, targetNode, mode, chargeProcess)
  }
  exchange(a: number, b: number, mode: MigrationMode, chargeProcess?: number) {
    return this.migrator.exchange(a, b, mode, chargeProcess)
  }
  queuedToNode(node: number): number {
    return this.migrator.queues?.queuedTo[node] ?? 0
  }
  private socketIndex(op: string, process: number, socketComponent: string): number {
    const c = this.core
    const k = c.m.initiatorIndex.get(socketComponent)
    if (k === undefined || c.m.initiators[k].kind !== 'socket')
      throw new Error(`${op}: "${socketComponent}" is not a socket of the topology`)
    if (!(process >= 0 && process < c.P) || c.procIsCpu[process] !== 1)
      throw new Error(`${op}: only CPU processes move between sockets`)
    return k
  }
  private checkThread(op: string, process: number, thread: number): void {
    const n = this.core.threads.count(process)
    if (!(Number.isInteger(thread) && thread >= 0 && thread < n))
      throw new Error(`${op}: process ${process} has threads 0..${n - 1}, not ${thread}`)
  }
  private afterMove(process: number): void {
    const info = this.processes[process]
    info.initiator = this.core.m.initiators[this.core.procInitiator[process]].component
    info.homeNode = this.core.procHome[process]
    info.ownMemoryNode = this.core.m.initiators[this.core.procInitiator[process]].node ?? -1
  }
  moveThreads(process: number, socketComponent: string): void {
    const k = this.socketIndex('moveThreads', process, socketComponent)
    if (this.core.threads.setAll(process, k) === 0) return
    this.core.threadMoves++
    this.afterMove(process)
  }
  threadSocket(process: number, thread: number): string {
    this.checkThread('threadSocket', process, thread)
    return this.core.m.initiators[this.core.threads.initiatorOf(process, thread)].component
  }
  moveThread(process: number, thread: number, socketComponent: string): void {
    const k = this.socketIndex('moveThread', process, socketComponent)
    this.checkThread('moveThread', process, thread)
    if (!this.core.threads.set(process, thread, k)) return
    this.core.threadMoves++
    this.afterMove(process)
  }
  swapThreads(processA: number, threadA: number, processB: number, threadB: number): void {
    const t = this.core.threads
    this.checkThread('swapThreads', processA, threadA)
    this.checkThread('swapThreads', processB, threadB)
    const ka = t.initiatorOf(processA, threadA)
    const kb = t.initiatorOf(processB, threadB)
    const sa = this.core.m.initiators[ka].component
    const sb = this.core.m.initiators[kb].component
    this.socketIndex('swapThreads', processA, sb)
    this.socketIndex('swapThreads', processB, sa)
    if (ka === kb) return
    t.set(processA, threadA, kb)
    t.set(processB, threadB, ka)
    this.core.threadMoves++
    this.afterMove(processA)
    this.afterMove(processB)
  }
  wakeKswapd(node: number): void {
    this.core.kswapdWake[node] = 1
  }
  chargeCpu(seconds: number, to: { process: number } | { kernelNode: number }): void {
    if (!(seconds > 0)) return
    if ('process' in to) this.core.cpu.toProcess(to.process, seconds, CPU.policyCharges)
    else this.core.cpu.toKernel(to.kernelNode, seconds, CPU.policyCharges)
  }
  migratedToNodeBytes(node: number): number {
    return this.core.migratedToNodeBytes[node]
  }
  subscribe(changes: { [K in keyof Subscriptions]?: Subscriptions[K] | null }): void {
    if (!this.hub) throw new Error('subscribe: telemetry is not running yet')
    this.hub.configure(changes)
  }
  subscriptions(): Subscriptions {
    return this.hub?.subscriptions() ?? {}
  }
  shadowStats(): ShadowCopyStats {
    if (!this.shadows) throw new Error('shadowStats: the run keeps no shadow copies')
    return this.shadows.stats()
  }
  splitFrame(frame: number): SplitOutcome {
    if (!this.splits) throw new Error('splitFrame: the run cannot split frames')
    return this.splits.split(frame)
  }
  isSplit(frame: number): boolean {
    return this.splits?.isSplit(frame) ?? false
  }
  basePageNode(frame: number, basePage: number): number {
    const n = this.splits ? this.splits.nodeOf(frame, basePage) : this.core.frames.node[frame]
    return n === UNALLOCATED ? -1 : n
  }
  migrateBasePages(
    frame: number,
    basePages: readonly number[],
    targetNode: number,
    mode: MigrationMode,
    chargeProcess?: number | MigrateOptions,
  ) {
    if (!this.splits) throw new Error('migrateBasePages: the run cannot split frames')
    return this.splits.moveBasePages(frame, basePages, targetNode, mode, chargeProcess)
  }
  publish(name: string, value: number): void {
    if (!this.publisher) throw new Error('publish: the run does not record series yet')
    this.publisher.publish(name, value)
  }
}
