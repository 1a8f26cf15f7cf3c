import type { PolicyContext } from '../api'
import type { FaultStats } from './fault-stats'

/**
 * `task_numa_migrate` [FAIR]: a thread that does not run on its preferred node tries to go there,
 * retrying every min(1 s, scan period / 16) (numa_migrate_preferred's numa_migrate_retry). It
 * moves when the move keeps the two nodes' loads acceptable, else it swaps with the thread on the
 * destination whose own fault weights gain most from the swap (task_numa_compare).
 *
 * - Load is running threads per node over its CPUs (the kernel's compute capacity).
 * - A move onto a node with spare CPUs is fine while the imbalance it leaves is at most
 *   NUMA_IMBALANCE_MIN threads (adjust_numa_imbalance); otherwise it must not make the
 *   capacity-scaled imbalance worse than it was, with the domain's imbalance_pct halved towards 100
 *   (`imbalance_pct = 100 + (sd->imbalance_pct - 100) / 2` = 112) as slack (load_too_imbalanced).
 * - A swap keeps the loads as they are; it must gain at least SMALLIMP (30, in 1/1000 of the
 *   faults) counting both threads, so that near-equal weights do not ping-pong tasks.
 *
 * The engine has no per-thread fault trigger while a process's threads share a socket, so the
 * retry runs at epoch boundaries rather than from a fault of that thread.
 */
export const NUMA_IMBALANCE_MIN = 2
export const NUMA_IMBALANCE_PCT = 112
export const SMALLIMP = 30
/** numa_migrate_retry's cap: HZ, i.e. one second. */
const RETRY_CAP_MS = 1000

interface SocketNode {
  node: number
  component: string
  cpus: number
}

export class TaskPlacement {
  private readonly sockets: SocketNode[]
  private readonly socketOfNode: Int32Array
  /** numa_migrate_retry per thread, ms: [process][thread]. */
  private readonly retryAtMs: Float64Array[]
  private readonly cpuProcs: number[]

  constructor(
    private readonly ctx: PolicyContext,
    private readonly stats: FaultStats,
  ) {
    this.sockets = ctx.analysis.nodes
      .filter((n) => n.kind === 'socket')
      .map((n) => ({ node: n.node, component: n.component, cpus: Math.max(1, n.cpus) }))
    this.socketOfNode = new Int32Array(ctx.nodeCount).fill(-1)
    this.sockets.forEach((s, i) => (this.socketOfNode[s.node] = i))
    this.retryAtMs = ctx.processes.map((p) => new Float64Array(p.threads))
    this.cpuProcs = ctx.processes.filter((p) => p.kind === 'cpu').map((p) => p.index)
  }

  private socketIndexOf(p: number, t: number): number {
    const comp = this.ctx.threadSocket(p, t)
    return this.sockets.findIndex((s) => s.component === comp)
  }

  /** Runs the due retries; returns how many threads moved or swapped. */
  run(nowMs: number, periodMsOf: (p: number) => number): number {
    const ctx = this.ctx
    const S = this.sockets.length
    if (S < 2) return 0
    // Where every CPU thread runs now, and each socket's load.
    const where: Int32Array[] = []
    const load = new Float64Array(S)
    for (const p of this.cpuProcs) {
      const n = ctx.processes[p].threads
      const w = new Int32Array(n)
      for (let t = 0; t < n; t++) {
        w[t] = this.socketIndexOf(p, t)
        if (w[t] >= 0) load[w[t]]++
      }
      where[p] = w
    }
    let moved = 0
    for (const p of this.cpuProcs) {
      const pref = this.stats.preferred[p]
      const dst = pref >= 0 ? this.socketOfNode[pref] : -1
      if (dst < 0) continue
      const w = where[p]
      const retry = this.retryAtMs[p]
      for (let t = 0; t < w.length; t++) {
        if (w[t] === dst || w[t] < 0 || nowMs < retry[t]) continue
        retry[t] = nowMs + Math.min(RETRY_CAP_MS, periodMsOf(p) / 16)
        const src = w[t]
        if (this.mayMove(load, src, dst)) {
          ctx.moveThread(p, t, this.sockets[dst].component)
          load[src]--
          load[dst]++
          w[t] = dst
          moved++
          continue
        }
        const partner = this.bestSwap(where, p, src, dst)
        if (partner) {
          ctx.swapThreads(p, t, partner.process, partner.thread)
          where[partner.process][partner.thread] = src
          w[t] = dst
          moved += 2
        }
      }
    }
    return moved
  }

  /** The move's load check (task_numa_find_cpu, adjust_numa_imbalance, load_too_imbalanced). */
  private mayMove(load: Float64Array, src: number, dst: number): boolean {
    const srcCap = this.sockets[src].cpus
    const dstCap = this.sockets[dst].cpus
    const s = load[src] - 1
    const d = load[dst] + 1
    if (d <= dstCap && d - s <= NUMA_IMBALANCE_MIN) return true
    const imbalance = (a: number, b: number): number => {
      // The slope, not the direction: the busier node against the other with imbalance_pct slack.
      const hi = Math.max(a * srcCap, b * dstCap)
      const lo = Math.min(a * srcCap, b * dstCap)
      return hi * 100 - lo * NUMA_IMBALANCE_PCT
    }
    // a: dst load scaled by src capacity; b: src load scaled by dst capacity.
    const after = imbalance(d, s)
    if (after <= 0) return true
    return after <= imbalance(load[dst], load[src])
  }

  /** The thread on `dst` whose swap with p's thread gains most, if the gain reaches SMALLIMP. */
  private bestSwap(
    where: Int32Array[],
    p: number,
    src: number,
    dst: number,
  ): { process: number; thread: number } | null {
    const srcNode = this.sockets[src].node
    const dstNode = this.sockets[dst].node
    const stats = this.stats
    const taskImp = stats.weight(p, dstNode) - stats.weight(p, srcNode)
    let best: { process: number; thread: number } | null = null
    let bestImp = SMALLIMP - 1
    for (const q of this.cpuProcs) {
      // Threads of one process share its weights: swapping two of them gains nothing.
      if (q === p) continue
      const curImp = stats.weight(q, srcNode) - stats.weight(q, dstNode)
      const imp = taskImp + curImp
      if (imp <= bestImp) continue
      const w = where[q]
      for (let t = 0; t < w.length; t++)
        if (w[t] === dst) {
          best = { process: q, thread: t }
          bestImp = imp
          break
        }
    }
    return best
  }
}
