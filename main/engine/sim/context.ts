import type { TopologyAnalysis } from '../../../shared/analysis'
import type {
  MigrationMode,
  NodeCounters,
  PolicyContext,
  ProcessInfo,
  RegionInfo,
  Watermarks,
} from '../policies/api'
import type { Rng } from '../rng'
import type { SimCore } from './core'
import { F_ACCESSED, UNALLOCATED } from './frames'
import type { Kswapd } from './kswapd'
import { ACCESSED_BIT_CHECK_S } from './kswapd'
import type { Migrator } from './migration'
import type { PerfResult } from './perf'

/**
 * The policy's view of the machine (policies/api.ts): telemetry-free facts and actions only; the
 * truth (access rates, hotness) is not reachable from here.
 */
export class SimContext implements PolicyContext {
  readonly processes: ProcessInfo[]
  readonly regions: RegionInfo[]
  kswapd: Kswapd | null = null
  perf: PerfResult | null = null

  constructor(
    private readonly core: SimCore,
    private readonly migrator: Migrator,
    readonly analysis: TopologyAnalysis,
    readonly rng: Rng,
    private readonly exact: boolean,
  ) {
    this.processes = core.w.processes.map((p, i) => ({
      index: i,
      id: p.id,
      initiator: p.initiator,
      kind: core.procIsCpu[i] === 1 ? 'cpu' : 'gpu',
      homeNode: core.procHome[i],
      threads: p.threads,
    }))
    this.regions = core.w.regions.map((r) => ({
      index: r.index,
      id: r.id,
      frameStart: r.frameStart,
      frameCount: r.frameCount,
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
    return this.core.usedFrames[node] * this.core.pageBytes
  }
  watermarks(node: number): Watermarks {
    return this.core.m.nodes[node].watermarks
  }
  nodeCounters(node: number): NodeCounters {
    const r = this.perf
    if (!r) return { readBytesPerS: 0, writeBytesPerS: 0, utilisation: 0, loadedLatencyNs: 0 }
    return {
      readBytesPerS: r.nodeReadBytesPerS[node],
      writeBytesPerS: r.nodeWriteBytesPerS[node],
      utilisation: r.nodeUtilisation[node],
      loadedLatencyNs: r.nodeServedLatencyNs[node] || r.nodeLoadedLatencyNs[node],
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
    const c = this.core
    c.counters.accessedBitChecks++
    c.counters.policyCpuS += ACCESSED_BIT_CHECK_S
    c.kernelCpuS[c.m.nodes[Math.max(0, this.frameNode(frame))].cpuNode] += ACCESSED_BIT_CHECK_S
    if (this.kswapd) return this.kswapd.wasAccessed(frame)
    const fr = c.frames
    if (this.exact) {
      const a = (fr.state[frame] & F_ACCESSED) !== 0
      fr.state[frame] &= ~F_ACCESSED
      return a
    }
    const dtS = (c.epoch - fr.checkEpoch[frame]) * c.epochS
    fr.checkEpoch[frame] = c.epoch
    const lambda = fr.weight[frame] * c.allRateScale
    return lambda > 0 && dtS > 0 && this.rng.next() < 1 - Math.exp(-lambda * dtS)
  }
  migrate(frame: number, targetNode: number, mode: MigrationMode, chargeProcess?: number) {
    return this.migrator.migrate(frame, targetNode, mode, chargeProcess)
  }
  exchange(a: number, b: number, mode: MigrationMode, chargeProcess?: number) {
    return this.migrator.exchange(a, b, mode, chargeProcess)
  }
  moveThreads(process: number, socketComponent: string): void {
    const c = this.core
    const k = c.m.initiatorIndex.get(socketComponent)
    if (k === undefined || c.m.initiators[k].kind !== 'socket')
      throw new Error(`moveThreads: "${socketComponent}" is not a socket of the topology`)
    if (c.procIsCpu[process] !== 1)
      throw new Error('moveThreads: only CPU processes move between sockets')
    if (c.procInitiator[process] === k) return
    c.setInitiator(process, k)
    c.threadMoves++
    const info = this.processes[process]
    info.initiator = socketComponent
    info.homeNode = c.procHome[process]
  }
  wakeKswapd(node: number): void {
    this.core.kswapdWake[node] = 1
  }
  chargeCpu(seconds: number, to: { process: number } | { kernelNode: number }): void {
    const c = this.core
    if (!(seconds > 0)) return
    c.counters.policyCpuS += seconds
    if ('process' in to) c.procDebtS[to.process] += seconds
    else c.kernelCpuS[c.m.nodes[to.kernelNode].cpuNode] += seconds
  }
  migratedToNodeBytes(node: number): number {
    return this.core.migratedToNodeBytes[node]
  }
}
