import type { SimCore } from './core'
import { ClosedLoopSolver, RESIDUAL_WARN, type LoopProblem } from './closed-loop'
import { defaultLatencyCurve } from './latency-curve'
import { UNREACHABLE_LATENCY_NS } from './machine'

/**
 * The closed-loop performance model (DESIGN.md §4), solved once per epoch:
 *   time per op = computeNsPerOp + accessesPerOp × mean latency ÷ MLP   (per thread)
 *   ops/s      = available threads ÷ time per op, where charged overheads take thread time away
 *   traffic    = Σ processes' accesses × 64 B by node share (reads/writes by writeFraction)
 *                + last epoch's migration traffic
 *   latency    = idle path latency + device latency × (curve(node utilisation) − 1)
 *                + Σ links crossed: device latency × (curve(link utilisation) − 1)
 * A link's utilisation is the busier direction's traffic over its bandwidth, so a shared upstream
 * link caps the sum of its paths. This file turns the epoch's placement into a LoopProblem;
 * closed-loop.ts solves it to a relative residual of 1e-6 (warm-started from the last epoch), so
 * the reported rates, latencies, utilisations and loaded latencies satisfy every equation above
 * at once.
 */

export const ACCESS_BYTES = 64

export interface PerfResult {
  opsPerS: Float64Array
  accessesPerS: Float64Array
  meanLatencyNs: Float64Array
  /** Share of each process's accesses per node (allocated mass normalised). */
  share: Float64Array
  nodeReadBytesPerS: Float64Array
  nodeWriteBytesPerS: Float64Array
  nodeUtilisation: Float64Array
  /** Device latency under load (the node's own factor only), ns. */
  nodeLoadedLatencyNs: Float64Array
  /** Mean latency of the accesses served by each node (all initiators), ns. */
  nodeServedLatencyNs: Float64Array
  /** Accesses each node served per second (all initiators, no migration copies). */
  nodeAccessesPerS: Float64Array
  linkUtilisation: Float64Array
  /** Fraction of all accesses served by top-tier nodes. */
  topTierHitRatio: number
  /** Throughput if every access had the top tier's idle latency (for slowdownVsAllFast). */
  allFastOpsPerS: Float64Array
  /** Relative residual of the closed loop this epoch (|x − G(x)| / G(x), worst process). */
  loopResidual: number
}

export class PerfModel {
  readonly r: PerfResult
  private readonly avail: Float64Array
  private readonly nodeFactor: Float64Array
  private readonly linkFactor: Float64Array
  private readonly q: LoopProblem
  private readonly solver: ClosedLoopSolver
  /** Scratch per process: latency weight per resource and load per slot (dense, then CSR). */
  private readonly latDense: Float64Array
  private readonly loadDense: Float64Array
  /** Epochs whose loop ended above RESIDUAL_WARN, and the worst residual seen. */
  unconvergedEpochs = 0
  worstResidual = 0

  constructor(private readonly core: SimCore) {
    const { P, N } = core
    const L = core.m.links.length
    const R = N + L
    const S = N + 2 * L
    this.avail = new Float64Array(P)
    this.nodeFactor = new Float64Array(N)
    this.linkFactor = new Float64Array(L)
    this.latDense = new Float64Array(R)
    this.loadDense = new Float64Array(S)
    // Links queue like memory channels: the default curve.
    const linkCurve = defaultLatencyCurve()
    this.q = {
      P,
      fixed: new Uint8Array(P),
      fixedRate: new Float64Array(P),
      availThreads: this.avail,
      computeNs: Float64Array.from(core.w.processes.map((p) => p.computeNsPerOp)),
      accessesPerOp: Float64Array.from(core.w.processes.map((p) => p.accessesPerOp)),
      mlp: Float64Array.from(core.w.processes.map((p) => p.mlp)),
      baseNs: new Float64Array(P),
      curves: [...core.m.nodes.map((n) => n.curve), ...core.m.links.map(() => linkCurve)],
      slotStart: Int32Array.from({ length: R }, (_, r) => (r < N ? r : N + 2 * (r - N))),
      slotCount: Int32Array.from({ length: R }, (_, r) => (r < N ? 1 : 2)),
      background: new Float64Array(S),
      loadStart: new Int32Array(P + 1),
      loadSlot: new Int32Array(P * S),
      loadCoef: new Float64Array(P * S),
      latStart: new Int32Array(P + 1),
      latRes: new Int32Array(P * R),
      latW: new Float64Array(P * R),
    }
    this.solver = new ClosedLoopSolver(this.q, S)
    this.r = {
      opsPerS: new Float64Array(P),
      accessesPerS: new Float64Array(P),
      meanLatencyNs: new Float64Array(P),
      share: new Float64Array(P * N),
      nodeReadBytesPerS: new Float64Array(N),
      nodeWriteBytesPerS: new Float64Array(N),
      nodeUtilisation: new Float64Array(N),
      nodeLoadedLatencyNs: new Float64Array(N),
      nodeServedLatencyNs: new Float64Array(N),
      nodeAccessesPerS: new Float64Array(N),
      linkUtilisation: new Float64Array(L),
      topTierHitRatio: 0,
      allFastOpsPerS: new Float64Array(P),
      loopResidual: 0,
    }
  }

  /** Thread time left to each process after its charged overheads (debt carries over). */
  private availableThreads(): void {
    const c = this.core
    const epochS = c.epochS
    for (let p = 0; p < c.P; p++) {
      const threads = c.w.processes[p].threads
      const budgetS = threads * epochS
      const paid = Math.min(c.procDebtS[p], budgetS * 0.95)
      c.procDebtS[p] -= paid
      this.avail[p] = (budgetS - paid) / epochS
    }
    // Kernel threads (async migration, kswapd) compete with the socket's own processes once its
    // cores are all busy.
    for (let n = 0; n < c.N; n++) {
      const kernelCores = c.kernelCpuS[n] / epochS
      if (kernelCores <= 0) continue
      const ini = c.m.initiatorIndex.get(c.m.nodes[n].component)
      if (ini === undefined) continue
      const cores = c.m.initiators[ini].cores
      let busy = 0
      for (let p = 0; p < c.P; p++) if (c.procInitiator[p] === ini) busy += this.avail[p]
      const spare = cores - busy
      if (kernelCores <= spare || busy <= 0) continue
      const scale = Math.max(0.05, (busy - (kernelCores - Math.max(0, spare))) / busy)
      for (let p = 0; p < c.P; p++) if (c.procInitiator[p] === ini) this.avail[p] *= scale
    }
  }

  /** The epoch's loop: shares from the masses, then each process's loads and latency weights. */
  private buildProblem(): void {
    const c = this.core
    const { P, N } = c
    const q = this.q
    const r = this.r
    const nodes = c.m.nodes
    const links = c.m.links
    const L = links.length
    const epochS = c.epochS
    for (let n = 0; n < N; n++)
      q.background[n] =
        c.prevMigReadBytes[n] / epochS / nodes[n].peakReadBytesPerS +
        c.prevMigWriteBytes[n] / epochS / nodes[n].peakWriteBytesPerS
    for (let k = 0; k < 2 * L; k++)
      q.background[N + k] = c.prevMigLinkBytes[k] / epochS / links[k >> 1].bandwidthBytesPerS
    let loadK = 0
    let latK = 0
    for (let p = 0; p < P; p++) {
      q.loadStart[p] = loadK
      q.latStart[p] = latK
      let total = 0
      for (let n = 0; n < N; n++) total += Math.max(0, c.mass[p * N + n])
      for (let n = 0; n < N; n++)
        r.share[p * N + n] = total > 0 ? Math.max(0, c.mass[p * N + n]) / total : 0
      const proc = c.w.processes[p]
      if (!(total > 0) || !(proc.accessesPerOp > 0)) {
        // No memory in the loop: compute alone sets the rate.
        q.fixed[p] = 1
        q.fixedRate[p] = proc.computeNsPerOp > 0 ? (this.avail[p] * 1e9) / proc.computeNsPerOp : 0
        q.baseNs[p] = total > 0 ? this.idleLatency(p) : 0
        continue
      }
      q.fixed[p] = 0
      this.latDense.fill(0)
      this.loadDense.fill(0)
      const wf = proc.writeFraction
      const bytesPerOp = proc.accessesPerOp * ACCESS_BYTES
      let base = 0
      for (let n = 0; n < N; n++) {
        const s = r.share[p * N + n]
        if (s <= 0) continue
        const path = c.path(p, n)
        if (!path) {
          base += s * UNREACHABLE_LATENCY_NS
          continue
        }
        const nd = nodes[n]
        const dev = (1 - wf) * nd.deviceReadNs + wf * nd.deviceWriteNs
        base += s * ((1 - wf) * path.readNs + wf * path.writeNs)
        this.latDense[n] += s * dev
        this.loadDense[n] +=
          bytesPerOp * s * ((1 - wf) / nd.peakReadBytesPerS + wf / nd.peakWriteBytesPerS)
        // linkShare: a process whose threads sit on several sockets crosses a link in part.
        const part = path.linkShare
        for (let h = 0; h < path.links.length; h++) {
          const l = path.links[h]
          const d = path.writeDir[h]
          const k = part ? part[h] : 1
          const bw = links[l].bandwidthBytesPerS
          this.latDense[N + l] += s * dev * k
          this.loadDense[N + 2 * l + d] += (bytesPerOp * s * wf * k) / bw
          this.loadDense[N + 2 * l + (1 - d)] += (bytesPerOp * s * (1 - wf) * k) / bw
        }
      }
      q.baseNs[p] = base
      for (let k = 0; k < this.loadDense.length; k++)
        if (this.loadDense[k] > 0) {
          q.loadSlot[loadK] = k
          q.loadCoef[loadK++] = this.loadDense[k]
        }
      for (let k = 0; k < this.latDense.length; k++)
        if (this.latDense[k] > 0) {
          q.latRes[latK] = k
          q.latW[latK++] = this.latDense[k]
        }
    }
    q.loadStart[P] = loadK
    q.latStart[P] = latK
  }

  solve(): PerfResult {
    const c = this.core
    const { P, N } = c
    const r = this.r
    const nodes = c.m.nodes
    const L = c.m.links.length
    this.availableThreads()
    this.buildProblem()
    const sol = this.solver.solve()
    r.loopResidual = sol.residual
    if (sol.residual > RESIDUAL_WARN) {
      this.unconvergedEpochs++
      this.worstResidual = Math.max(this.worstResidual, sol.residual)
    }
    for (let n = 0; n < N; n++) {
      this.nodeFactor[n] = sol.factor[n]
      r.nodeUtilisation[n] = sol.util[n]
      r.nodeReadBytesPerS[n] = c.prevMigReadBytes[n] / c.epochS
      r.nodeWriteBytesPerS[n] = c.prevMigWriteBytes[n] / c.epochS
    }
    for (let l = 0; l < L; l++) {
      this.linkFactor[l] = sol.factor[N + l]
      r.linkUtilisation[l] = sol.util[N + l]
    }
    // Final per-(process, node) latencies and summaries at the solved point.
    let topAcc = 0
    let allAcc = 0
    const served = r.nodeServedLatencyNs
    const servedW = new Float64Array(N)
    served.fill(0)
    for (let p = 0; p < P; p++) {
      const proc = c.w.processes[p]
      const ops = sol.x[p]
      const hasMem = !this.q.fixed[p] || this.q.baseNs[p] > 0
      r.opsPerS[p] = ops
      r.accessesPerS[p] = hasMem ? ops * proc.accessesPerOp : 0
      r.meanLatencyNs[p] = this.q.fixed[p] ? this.idleLatency(p) : sol.latencyNs[p]
      const bytes = r.accessesPerS[p] * ACCESS_BYTES
      for (let n = 0; n < N; n++) {
        const s = r.share[p * N + n]
        const lat = this.nodeLatency(p, n)
        c.procNodeLatencyNs[p * N + n] = lat
        if (s <= 0) continue
        r.nodeReadBytesPerS[n] += bytes * s * (1 - proc.writeFraction)
        r.nodeWriteBytesPerS[n] += bytes * s * proc.writeFraction
        const acc = r.accessesPerS[p] * s
        allAcc += acc
        if (nodes[n].topTier) topAcc += acc
        served[n] += acc * lat
        servedW[n] += acc
      }
      // All-fast bound: every access at the process's best top-tier idle latency.
      const fastNs = this.bestTopTierIdleNs(p)
      const tpo = proc.computeNsPerOp + (proc.accessesPerOp * fastNs) / proc.mlp
      r.allFastOpsPerS[p] = tpo > 0 ? (proc.threads * 1e9) / tpo : 0
      c.rate[p] = r.accessesPerS[p]
    }
    for (let n = 0; n < N; n++) {
      r.nodeAccessesPerS[n] = servedW[n]
      served[n] = servedW[n] > 0 ? served[n] / servedW[n] : 0
      r.nodeLoadedLatencyNs[n] = nodes[n].deviceReadNs * this.nodeFactor[n]
    }
    r.topTierHitRatio = allAcc > 0 ? topAcc / allAcc : 0
    return r
  }

  /** The run's warnings about the loop: epochs it could not solve to RESIDUAL_WARN. */
  warnings(): string[] {
    if (this.unconvergedEpochs === 0) return []
    return [
      `the closed loop (throughput, bandwidth and loaded latency) did not converge in ${this.unconvergedEpochs} epoch(s): worst relative mismatch ${(this.worstResidual * 100).toPrecision(3)} %; those epochs' throughput and latency are approximate`,
    ]
  }

  private idleLatency(p: number): number {
    const c = this.core
    const path = c.path(p, c.procHome[p])
    return path ? path.readNs : UNREACHABLE_LATENCY_NS
  }

  private bestTopTierIdleNs(p: number): number {
    const c = this.core
    const wf = c.w.processes[p].writeFraction
    let best = Infinity
    for (const n of c.m.topTierNodes) {
      const path = c.path(p, n)
      if (path) best = Math.min(best, (1 - wf) * path.readNs + wf * path.writeNs)
    }
    return Number.isFinite(best) ? best : this.idleLatency(p)
  }

  /** Loaded latency of process p's accesses to node n at the current factors, ns. */
  nodeLatency(p: number, n: number): number {
    const c = this.core
    const path = c.path(p, n)
    if (!path) return UNREACHABLE_LATENCY_NS
    const nd = c.m.nodes[n]
    const wf = c.w.processes[p].writeFraction
    const dev = (1 - wf) * nd.deviceReadNs + wf * nd.deviceWriteNs
    let lat = (1 - wf) * path.readNs + wf * path.writeNs + dev * (this.nodeFactor[n] - 1)
    const part = path.linkShare
    for (let h = 0; h < path.links.length; h++)
      lat += dev * (this.linkFactor[path.links[h]] - 1) * (part ? part[h] : 1)
    return lat
  }
}
