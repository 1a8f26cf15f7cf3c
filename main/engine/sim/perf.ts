import type { SimCore } from './core'
import { defaultLatencyCurve, latencyFactorAt } from './latency-curve'
import { UNREACHABLE_LATENCY_NS } from './machine'

/**
 * The closed-loop performance model (DESIGN.md §4), solved once per epoch:
 *   time per op = computeNsPerOp + accessesPerOp × mean latency ÷ MLP   (per thread)
 *   ops/s      = available threads ÷ time per op, where charged overheads take thread time away
 *   traffic    = Σ processes' accesses × 64 B by node share (reads/writes by writeFraction)
 *                + last epoch's migration traffic
 *   latency    = idle path latency + device latency × (curve(node utilisation) − 1)
 *                + Σ links crossed: device latency × (curve(link utilisation) − 1)
 * A link's utilisation is the sum of everything crossing it in one direction over its bandwidth,
 * so a shared upstream link caps the sum of its paths. Damped fixed-point iterations, warm-started
 * from the previous epoch: O(iterations × processes × nodes × path length).
 */

export const ACCESS_BYTES = 64
const ITERATIONS = 24

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
  linkUtilisation: Float64Array
  /** Fraction of all accesses served by top-tier nodes. */
  topTierHitRatio: number
  /** Throughput if every access had the top tier's idle latency (for slowdownVsAllFast). */
  allFastOpsPerS: Float64Array
}

export class PerfModel {
  private readonly latency: Float64Array
  readonly r: PerfResult
  private readonly avail: Float64Array
  private readonly linkBytes: Float64Array
  private readonly nodeFactor: Float64Array
  private readonly linkFactor: Float64Array
  /** Links queue like memory channels: the default curve. */
  private readonly linkCurve = defaultLatencyCurve()

  constructor(private readonly core: SimCore) {
    const { P, N } = core
    const L = core.m.links.length
    this.latency = new Float64Array(P)
    this.avail = new Float64Array(P)
    this.linkBytes = new Float64Array(L * 2)
    this.nodeFactor = new Float64Array(N)
    this.linkFactor = new Float64Array(L)
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
      linkUtilisation: new Float64Array(L),
      topTierHitRatio: 0,
      allFastOpsPerS: new Float64Array(P),
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

  solve(): PerfResult {
    const c = this.core
    const { P, N } = c
    const r = this.r
    const nodes = c.m.nodes
    const L = c.m.links.length
    this.availableThreads()
    // Access shares from the allocated masses.
    let anyAccess = false
    for (let p = 0; p < P; p++) {
      let total = 0
      for (let n = 0; n < N; n++) total += Math.max(0, c.mass[p * N + n])
      for (let n = 0; n < N; n++)
        r.share[p * N + n] = total > 0 ? Math.max(0, c.mass[p * N + n]) / total : 0
      if (total > 0) anyAccess = true
      if (this.latency[p] <= 0) this.latency[p] = this.idleLatency(p)
    }
    const epochS = c.epochS
    for (let it = 0; it < ITERATIONS; it++) {
      // Rates from latencies.
      for (let n = 0; n < N; n++) {
        r.nodeReadBytesPerS[n] = c.prevMigReadBytes[n] / epochS
        r.nodeWriteBytesPerS[n] = c.prevMigWriteBytes[n] / epochS
      }
      for (let k = 0; k < L * 2; k++) this.linkBytes[k] = c.prevMigLinkBytes[k] / epochS
      for (let p = 0; p < P; p++) {
        const proc = c.w.processes[p]
        const hasMem = anyAccess && this.hasShare(p)
        const tpoNs =
          proc.computeNsPerOp + (hasMem ? (proc.accessesPerOp * this.latency[p]) / proc.mlp : 0)
        const ops = tpoNs > 0 ? (this.avail[p] * 1e9) / tpoNs : 0
        r.opsPerS[p] = ops
        r.accessesPerS[p] = hasMem ? ops * proc.accessesPerOp : 0
        const bytes = r.accessesPerS[p] * ACCESS_BYTES
        const wf = proc.writeFraction
        for (let n = 0; n < N; n++) {
          const s = r.share[p * N + n]
          if (s <= 0) continue
          const rb = bytes * s * (1 - wf)
          const wb = bytes * s * wf
          r.nodeReadBytesPerS[n] += rb
          r.nodeWriteBytesPerS[n] += wb
          const path = c.path(p, n)
          if (!path) continue
          // linkShare: a process whose threads sit on several sockets crosses a link in part.
          const part = path.linkShare
          for (let h = 0; h < path.links.length; h++) {
            const l = path.links[h]
            const d = path.writeDir[h]
            const k = part ? part[h] : 1
            this.linkBytes[l * 2 + d] += k === 1 ? wb : wb * k
            this.linkBytes[l * 2 + (1 - d)] += k === 1 ? rb : rb * k
          }
        }
      }
      // Utilisation and latency factors.
      for (let n = 0; n < N; n++) {
        const nd = nodes[n]
        const u =
          r.nodeReadBytesPerS[n] / nd.peakReadBytesPerS +
          r.nodeWriteBytesPerS[n] / nd.peakWriteBytesPerS
        r.nodeUtilisation[n] = u
        this.nodeFactor[n] = latencyFactorAt(nd.curve, u)
      }
      for (let l = 0; l < L; l++) {
        const bw = c.m.links[l].bandwidthBytesPerS
        const u = Math.max(this.linkBytes[l * 2], this.linkBytes[l * 2 + 1]) / bw
        r.linkUtilisation[l] = u
        this.linkFactor[l] = latencyFactorAt(this.linkCurve, u)
      }
      // New latencies, damped geometrically (robust when a saturated curve swings by 10×).
      let maxRel = 0
      for (let p = 0; p < P; p++) {
        const lat = this.meanLatency(p)
        const old = this.latency[p]
        const next = Math.sqrt(old * lat)
        maxRel = Math.max(maxRel, Math.abs(next - old) / old)
        this.latency[p] = next
      }
      if (maxRel < 1e-4 && it > 1) break
    }
    // Final per-(process, node) latencies and summaries at the solved point.
    let topAcc = 0
    let allAcc = 0
    const served = r.nodeServedLatencyNs
    const servedW = new Float64Array(N)
    served.fill(0)
    for (let p = 0; p < P; p++) {
      r.meanLatencyNs[p] = this.latency[p]
      const proc = c.w.processes[p]
      for (let n = 0; n < N; n++) {
        const lat = this.nodeLatency(p, n)
        c.procNodeLatencyNs[p * N + n] = lat
        const acc = r.accessesPerS[p] * r.share[p * N + n]
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
      served[n] = servedW[n] > 0 ? served[n] / servedW[n] : 0
      r.nodeLoadedLatencyNs[n] = nodes[n].deviceReadNs * this.nodeFactor[n]
    }
    r.topTierHitRatio = allAcc > 0 ? topAcc / allAcc : 0
    return r
  }

  private hasShare(p: number): boolean {
    const N = this.core.N
    for (let n = 0; n < N; n++) if (this.r.share[p * N + n] > 0) return true
    return false
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

  private meanLatency(p: number): number {
    const N = this.core.N
    let lat = 0
    let total = 0
    for (let n = 0; n < N; n++) {
      const s = this.r.share[p * N + n]
      if (s <= 0) continue
      lat += s * this.nodeLatency(p, n)
      total += s
    }
    return total > 0 ? lat / total : this.idleLatency(p)
  }
}
