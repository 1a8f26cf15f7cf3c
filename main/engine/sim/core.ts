import type { CompiledWorkload } from '../workload'
import { frameMass, phaseIndexAt, regionOfFrame } from '../workload'
import type { Rng } from '../rng'
import type { Machine, SimPath } from './machine'
import { FrameTable, F_HOT, NODE_MASK, NODE_SHIFT, UNALLOCATED } from './frames'
import { HEAT_BINS, rankFramesGlobally } from './hotness-order'
import { emptyCounters, type EpochCounters } from './counters'
import { CpuLedger } from './cpu-ledger'
import { ThreadPlacement } from './threads'
import { advanceWindows } from './moving-windows'
import { accumulateMasses } from './accumulate'
import { placeFrame, placeFrameRun } from './placement'
import type { SplitFrames } from './split-frames'
import { runArray } from '../memory/run-arrays'
import { DeferredHeatMoves, DeferredMoves } from './deferred-moves'

export interface CoreOptions {
  machine: Machine
  workload: CompiledWorkload
  epochS: number
  durationS: number
  pingPongWindowS: number
  rng: Rng
}

/**
 * The simulation state that every part shares: frames, per-(process, node) probability masses,
 * node occupancy, charges and per-epoch counters. Masses change in O(processes) per frame move and
 * are rebuilt only at phase changes (DESIGN.md §4).
 */
export class SimCore {
  readonly m: Machine
  readonly w: CompiledWorkload
  readonly frames: FrameTable
  readonly P: number
  readonly N: number
  readonly R: number
  readonly epochS: number
  readonly durationS: number
  readonly pageBytes: number
  epoch = 0
  nowS = 0

  /** See `mass`. */
  private readonly massValues: Float64Array
  /** Moves whose bitmap and mass changes are pending (deferred-moves.ts). */
  private readonly pendingMoves = new DeferredMoves()

  /**
   * mass[p * N + n]: Σ of p's access probability over its allocated frames on node n (with every
   * move so far: pending transfers are applied first, so read it afresh after any move).
   */
  get mass(): Float64Array {
    if (this.pendingMoves.pending > 0) this.applyPendingMoves()
    return this.massValues
  }

  /** nodeBitValues with every move so far (read it afresh after any move). */
  get nodeBits(): Uint32Array {
    if (this.pendingMoves.pending > 0) this.applyPendingMoves()
    return this.nodeBitValues
  }

  /** Applies pending moves' bitmap and mass changes: before any weight or reference rate changes. */
  applyPendingMoves(): void {
    this.pendingMoves.apply(
      this.nodeBitValues,
      this.massValues,
      this.frames.weight,
      this.refRate,
      this.N,
    )
  }
  readonly procInitiator: Int32Array
  readonly procHome: Int32Array
  readonly procIsCpu: Uint8Array
  readonly procPhase: Int32Array
  /** Accesses/s of each process at the last rebuild (the scale of frames' weights). */
  readonly refRate: Float64Array
  /** Accesses/s of each process in the last solved epoch. */
  readonly rate: Float64Array
  /** Loaded latency per (process, node) in the last epoch, ns. */
  readonly procNodeLatencyNs: Float64Array
  /** procsOfRegion[r]: processes whose current phase touches region r. */
  procsOfRegion: number[][] = []

  readonly usedFrames: Int32Array
  /** Frames each node holds as shadow copies (sim/shadow-copies.ts): used, though unmapped. */
  readonly shadowFrames: Int32Array
  /**
   * Bytes that base pages of split frames moved onto each node (negative on the nodes their frames
   * are on, which count whole frames in usedFrames); zero while no frame is split.
   */
  readonly splitBytes: Float64Array
  /** Split huge pages (split-frames.ts): null until the first split, so hooks cost a null test. */
  splits: SplitFrames | null = null
  /**
   * Lowest and highest frame index ever placed on each node (hi < lo: none yet). Every frame on
   * the node lies between them, so walks over one node's frames can skip the rest.
   */
  readonly nodeFrameLo: Int32Array
  readonly nodeFrameHi: Int32Array
  /**
   * One bit per frame and node, set while the frame is on the node (read through `nodeBits`).
   * Word w (frames 32w..32w+31) of node n is at w·N + n: a move clears one node's bit and sets
   * another's in the same cache line (one miss, not two, on a 4 Mi-frame run); a walk over one
   * node strides N words.
   */
  private readonly nodeBitValues: Uint32Array
  /** Words per node in nodeBits. */
  readonly nodeWords: number
  readonly hotOnNode: Int32Array
  hotFrames = 0
  /** Per heat bin: the sum of its frames' tier ordinals (read through heatSums()), and count. */
  readonly binTierSum: Float64Array
  readonly binCount: Float64Array
  /** Moves not yet in binTierSum (deferred-moves.ts). */
  private readonly heatMoves = new DeferredHeatMoves()
  readonly regionAllocated: Int32Array
  readonly tierOrdinal: Uint8Array
  /** 1 for top-tier nodes. */
  readonly topTierOf: Uint8Array

  /** CPU seconds each process owes (sync migrations, hint faults, scans, samples). */
  readonly procDebtS: Float64Array
  /**
   * Kernel-thread CPU seconds on each node's socket this epoch; the next solve makes them compete
   * with the socket's processes, then they are cleared (run.ts).
   */
  readonly kernelCpuS: Float64Array
  /** Migration traffic this epoch, bytes: read from source nodes, written to targets, per link dir. */
  migReadBytes: Float64Array
  migWriteBytes: Float64Array
  migLinkBytes: Float64Array
  /** The previous epoch's migration traffic, which loads this epoch's solve. */
  prevMigReadBytes: Float64Array
  prevMigWriteBytes: Float64Array
  prevMigLinkBytes: Float64Array
  readonly migratedToNodeBytes: Float64Array
  readonly kswapdWake: Uint8Array

  counters: EpochCounters = emptyCounters()
  /** The one path of CPU charges (telemetry, migration, kernel threads, policy). */
  readonly cpu: CpuLedger
  /** Which socket each thread runs on. */
  readonly threads: ThreadPlacement
  readonly totals: EpochCounters = emptyCounters()
  readonly pingPongWindowEpochs: number
  readonly rng: Rng
  /** Thread placement changes the policy made (a move of all threads, of one, or a swap). */
  threadMoves = 0
  /** Frames hottest first (kept only when the oracle asks for it), and its version. */
  hotOrder: Uint32Array | null = null
  hotOrderVersion = 0
  /** Frames in the top tier's capacity (the size of the truly hot set). */
  hotSetFrames = 0
  /** rateScale(true) and rateScale(false), refreshed after each solve. */
  cpuRateScale = 1
  allRateScale = 1

  constructor(o: CoreOptions) {
    this.m = o.machine
    this.w = o.workload
    this.P = o.workload.processes.length
    this.N = o.machine.nodes.length
    this.R = o.workload.regions.length
    this.epochS = o.epochS
    this.durationS = o.durationS
    this.pageBytes = o.workload.pageBytes
    // Frames keep a CPU-only access rate apart from the total only if some process is no CPU.
    const allCpu = o.workload.processes.every(
      (p) =>
        o.machine.initiators[o.machine.initiatorIndex.get(p.initiator) ?? 0]?.kind === 'socket',
    )
    this.frames = new FrameTable(o.workload.totalFrames, !allCpu)
    this.massValues = new Float64Array(this.P * this.N)
    this.procInitiator = new Int32Array(this.P)
    this.procHome = new Int32Array(this.P)
    this.procIsCpu = new Uint8Array(this.P)
    this.procPhase = new Int32Array(this.P).fill(-1)
    this.refRate = new Float64Array(this.P)
    this.rate = new Float64Array(this.P)
    this.procNodeLatencyNs = new Float64Array(this.P * this.N)
    this.usedFrames = new Int32Array(this.N)
    this.shadowFrames = new Int32Array(this.N)
    this.splitBytes = new Float64Array(this.N)
    this.nodeFrameLo = new Int32Array(this.N).fill(0x7fffffff)
    this.nodeFrameHi = new Int32Array(this.N).fill(-1)
    this.nodeWords = (this.frames.count >>> 5) + 1
    this.nodeBitValues = runArray(Uint32Array, this.N * this.nodeWords)
    this.hotOnNode = new Int32Array(this.N)
    this.binTierSum = new Float64Array(HEAT_BINS)
    this.binCount = new Float64Array(HEAT_BINS)
    this.regionAllocated = new Int32Array(this.R)
    this.tierOrdinal = Uint8Array.from(this.m.nodes.map((n) => n.tierOrdinal))
    this.topTierOf = Uint8Array.from(this.m.nodes.map((n) => (n.topTier ? 1 : 0)))
    this.procDebtS = new Float64Array(this.P)
    this.kernelCpuS = new Float64Array(this.N)
    const L2 = this.m.links.length * 2
    this.migReadBytes = new Float64Array(this.N)
    this.migWriteBytes = new Float64Array(this.N)
    this.migLinkBytes = new Float64Array(L2)
    this.prevMigReadBytes = new Float64Array(this.N)
    this.prevMigWriteBytes = new Float64Array(this.N)
    this.prevMigLinkBytes = new Float64Array(L2)
    this.migratedToNodeBytes = new Float64Array(this.N)
    this.kswapdWake = new Uint8Array(this.N)
    this.pingPongWindowEpochs = Math.round(o.pingPongWindowS / o.epochS)
    this.rng = o.rng
    this.w.processes.forEach((p, i) => {
      const k = this.m.initiatorIndex.get(p.initiator)
      if (k === undefined) throw new Error(`process ${p.id}: unknown initiator ${p.initiator}`)
      this.setInitiator(i, k)
    })
    this.cpu = new CpuLedger(this)
    this.threads = new ThreadPlacement(this)
  }

  setInitiator(p: number, initiator: number): void {
    const ini = this.m.initiators[initiator]
    if (ini.kind !== 'socket' && this.frames.cpuWeightShared)
      throw new Error(
        `process ${this.w.processes[p].id}: cannot move to ${ini.component}, a GPU, in a run whose processes all started on CPUs`,
      )
    this.procInitiator[p] = initiator
    this.procHome[p] = ini.homeNode
    this.procIsCpu[p] = ini.kind === 'socket' ? 1 : 0
  }

  /** Process p's path to a node: its socket's, or a blend while its threads are split. */
  path(p: number, node: number): SimPath | null {
    const blended = this.threads.path(p, node)
    return blended === undefined ? this.m.paths[this.procInitiator[p] * this.N + node] : blended
  }

  freeBytes(node: number): number {
    return (
      this.m.nodes[node].capacityBytes -
      (this.usedFrames[node] + this.shadowFrames[node]) * this.pageBytes -
      this.splitBytes[node]
    )
  }

  /** Bytes the node's frames and split-off base pages take (shadow copies not included). */
  usedBytes(node: number): number {
    return this.usedFrames[node] * this.pageBytes + this.splitBytes[node]
  }

  /** Probability that one access of process p (current phase) hits frame f. */
  prob(p: number, f: number, region: number): number {
    const phase = this.w.processes[p].phases[this.procPhase[p]]
    const list = phase.accessesByRegion[region]
    let s = 0
    for (let i = 0; i < list.length; i++)
      s += list[i].share * frameMass(this.w, list[i], f, this.nowS)
    return s
  }

  regionOf(f: number): number {
    return this.R === 1 ? 0 : regionOfFrame(this.w, f)
  }

  /** Places an unallocated frame on a node (allocation). */
  place(f: number, node: number, region: number, withMass: boolean): void {
    placeFrame(this, f, node, region, withMass)
  }

  /** place() for `count` frames from f0 onto one node, without masses (placement.ts). */
  placeRun(f0: number, count: number, node: number): void {
    placeFrameRun(this, f0, count, node)
  }

  /** Whether frame f's bit is set in node n's bitmap (nodeBits). */
  onNodeBit(f: number, n: number): boolean {
    return ((this.nodeBits[(f >>> 5) * this.N + n] >>> (f & 31)) & 1) === 1
  }

  /** Moves an allocated frame; updates masses, occupancy and heat sums. No cost, no gate. */
  move(f: number, to: number): void {
    const fr = this.frames
    const N = this.N
    const s = fr.state[f]
    const from = s >>> NODE_SHIFT
    const region = this.regionOf(f)
    const procs = this.procsOfRegion[region]
    // The bitmap words and the weight are cache misses: applied later, with other moves'
    // (deferred-moves.ts). With one process on the region its probability is the frame's weight
    // over its reference rate (no pattern evaluation; Math.pow costs ~0.2 µs).
    if (procs.length === 1) this.pendingMoves.push(f, procs[0], from, to)
    else {
      const mass = this.mass
      for (let i = 0; i < procs.length; i++) {
        const p = procs[i]
        const pr = this.prob(p, f, region)
        mass[p * N + from] -= pr
        mass[p * N + to] += pr
      }
      this.pendingMoves.push(f, -1, from, to)
    }
    this.usedFrames[from]--
    this.usedFrames[to]++
    if (f < this.nodeFrameLo[to]) this.nodeFrameLo[to] = f
    if (f > this.nodeFrameHi[to]) this.nodeFrameHi[to] = f
    if (s & F_HOT) {
      this.hotOnNode[from]--
      this.hotOnNode[to]++
    }
    const tierDelta = this.tierOrdinal[to] - this.tierOrdinal[from]
    if (tierDelta !== 0) this.heatMoves.push(f, tierDelta)
    fr.node[f] = to
    fr.state[f] = (s & ~NODE_MASK) | (to << NODE_SHIFT)
  }

  /**
   * Phase bookkeeping: which processes touch which region. Returns whether a phase changed; then
   * (unless `rebuild` is false) rebuilds masses, weights, the hot set and heat bins (O(frames),
   * only then).
   */
  refreshPhases(rebuild = true): boolean {
    let changed = false
    for (let p = 0; p < this.P; p++) {
      const ph = phaseIndexAt(this.w.processes[p], this.nowS)
      if (ph !== this.procPhase[p]) {
        this.procPhase[p] = ph
        changed = true
      }
    }
    if (!changed) return false
    this.procsOfRegion = this.w.regions.map((_, r) => {
      const out: number[] = []
      for (let p = 0; p < this.P; p++)
        if (this.w.processes[p].phases[this.procPhase[p]].accessesByRegion[r].length > 0)
          out.push(p)
      return out
    })
    if (rebuild) this.rebuild()
    return true
  }

  /** Recomputes masses and weights from scratch, then the global hotness order. */
  rebuild(): void {
    this.accumulate(true)
    this.rerank()
  }

  /**
   * After the start's allocation: the weights and the hotness order that refreshPhases' rebuild
   * derived still hold (no rate has been solved, no phase changed), so only the masses and the
   * per-node sums need the frames' new nodes. The same arithmetic in the same order as rebuild(),
   * without rewriting the weights and re-ranking all frames (two O(frames) passes of the start).
   */
  rebuildMasses(): void {
    this.accumulate(false)
    this.hotOrderVersion++
    this.nodeSums()
  }

  /**
   * The start when the allocation read neither weights nor the hotness order (no `place` hook):
   * refreshPhases(false), allocate, then this one rebuild with the frames in place. Weights and
   * order do not depend on where frames are, and masses and node sums are summed in the same
   * order as rebuildMasses(), so the state (order version included) is the one refreshPhases(),
   * allocate, rebuildMasses() leaves, for one O(frames) pattern evaluation instead of two.
   */
  rebuildPlaced(): void {
    this.rebuild()
    this.hotOrderVersion++
  }

  private accumulate(withWeights: boolean): void {
    accumulateMasses(this, withWeights)
  }

  /** Re-derives the global hotness order from the weights: hot set, heat bins, sums. O(frames). */
  rerank(): void {
    const fr = this.frames
    const hotCount = this.m.topTierNodes.reduce((s, n) => s + this.m.nodes[n].capacityFrames, 0)
    this.hotSetFrames = Math.min(hotCount, fr.count)
    // The ranking recomputes the tier sums from every frame's node: deferred moves are in them.
    this.heatMoves.clear()
    this.hotFrames = rankFramesGlobally(this.w, fr, this.hotSetFrames, this.hotOrder, this)
    this.hotOrderVersion++
  }

  /** The heat bins' tier sums with every move so far (binTierSum, binCount). */
  heatSums(): { binTierSum: Float64Array; binCount: Float64Array } {
    this.heatMoves.addTo(this.binTierSum, this.frames.heatBin)
    return { binTierSum: this.binTierSum, binCount: this.binCount }
  }

  /** Hot frames per node and the heat bins' tier sums, from the flags and bins. O(frames). */
  private nodeSums(): void {
    this.heatMoves.clear()
    const fr = this.frames
    this.hotOnNode.fill(0)
    this.binTierSum.fill(0)
    this.binCount.fill(0)
    this.hotFrames = 0
    for (let f = 0; f < fr.count; f++) {
      const hot = fr.state[f] & F_HOT
      if (hot) this.hotFrames++
      const node = fr.node[f]
      if (node === UNALLOCATED) continue
      if (hot) this.hotOnNode[node]++
      this.binTierSum[fr.heatBin[f]] += this.tierOrdinal[node]
      this.binCount[fr.heatBin[f]]++
    }
  }

  /** Ratio of current to reference access rates (frames' weights are at reference rates). */
  rateScale(cpuOnly: boolean): number {
    let cur = 0
    let ref = 0
    for (let p = 0; p < this.P; p++) {
      if (cpuOnly && this.procIsCpu[p] !== 1) continue
      cur += this.rate[p]
      ref += this.refRate[p]
    }
    return ref > 0 ? cur / ref : 0
  }

  /** Moving windows (moving-windows.ts); `onRateChange` hears of PROT_NONE frames that changed. */
  advanceWindows(t0S: number, t1S: number, onRateChange: (f: number) => void): void {
    advanceWindows(this, t0S, t1S, onRateChange)
  }

  /** Swaps this epoch's migration traffic into "previous" and clears the per-epoch state. */
  endEpoch(): void {
    ;[this.prevMigReadBytes, this.migReadBytes] = [this.migReadBytes, this.prevMigReadBytes]
    ;[this.prevMigWriteBytes, this.migWriteBytes] = [this.migWriteBytes, this.prevMigWriteBytes]
    ;[this.prevMigLinkBytes, this.migLinkBytes] = [this.migLinkBytes, this.prevMigLinkBytes]
    this.migReadBytes.fill(0)
    this.migWriteBytes.fill(0)
    this.migLinkBytes.fill(0)
    this.migratedToNodeBytes.fill(0)
    this.counters = emptyCounters()
  }
}
