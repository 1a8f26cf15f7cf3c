import {
  DEFAULT_MIGRATION_COST,
  migrationNsPerFrame,
  migrationThroughputGBps,
  type MigrationCostTable,
} from '../kernel'
import type { PolicyContext } from './api'

/**
 * Cost-aware promotion, a building block any policy can call (the LSF/MM/BPF 2024 question of
 * promotion "that weighs the cost of migration" [LSF24-P]): promote a frame only when what it is
 * expected to save exceeds what moving it costs.
 *
 *   saving = access rate × latency gap × (expected hot time − copy time)
 *   cost   = migration CPU + bandwidth taken from the workload
 *
 * - The latency gap is what one access saves: the accessor's latency to the source node minus
 *   its latency to the target (idle path latencies of the topology analysis).
 * - The expected hot time is the caller's; pghot uses how long the frame has been hot so far (a
 *   frame hot for t is expected to stay hot about t more, the argument LRU rests on), so a hot
 *   set that lives shorter than a migration pays back is left where it is.
 * - Copy time delays the saving: nothing is saved until the copy is done (pageBytes at the
 *   measured move_pages throughput [MIGOFF]).
 * - Migration CPU: per frame at the caller's batch size (kernel/migration-cost.ts [MIGOFF]).
 * - Bandwidth taken: the copy reads the source and writes the target; on a node used at share u
 *   of its peak, that share of the copy's channel time is taken from the workload.
 * All terms are ns of time; an assumption of this model, not kernel code.
 */
export interface PromotionEstimate {
  /** Expected accesses per second to the frame. */
  accessRatePerS: number
  /** Latency the accessor saves per access, ns. */
  latencyGapNs: number
  /** How long the frame is expected to stay hot from now, s. */
  expectedHotS: number
}

export interface MigrationPrice {
  cpuNs: number
  copyNs: number
  bandwidthNs: number
}

export interface CostAwareGateOptions {
  pageBytes: number
  /** Frames per migrate_pages call the migrating thread uses (sets the per-frame CPU). */
  batchFrames: number
  costTable?: MigrationCostTable
}

export class CostAwareGate {
  /** Decisions since the last `takeCounts`. */
  promoted = 0
  rejected = 0
  private readonly cpuNs: number
  private readonly copyNs: number

  constructor(private readonly o: CostAwareGateOptions) {
    this.cpuNs = migrationNsPerFrame(
      o.costTable ?? DEFAULT_MIGRATION_COST,
      o.pageBytes,
      o.batchFrames,
    )
    // GB/s is bytes per ns.
    this.copyNs = o.pageBytes / migrationThroughputGBps(o.pageBytes)
  }

  /** What moving one frame from `src` to `dst` costs now, from the nodes' last-epoch load. */
  price(ctx: PolicyContext, src: number, dst: number): MigrationPrice {
    const bytes = this.o.pageBytes
    let bandwidthNs = 0
    for (const n of [src, dst]) {
      const c = ctx.nodeCounters(n)
      const peak = peakBytesPerNs(ctx, n)
      if (peak > 0) bandwidthNs += (bytes / peak) * Math.min(1, Math.max(0, c.utilisation))
    }
    return { cpuNs: this.cpuNs, copyNs: this.copyNs, bandwidthNs }
  }

  /** Whether to promote; counts the decision. */
  decide(est: PromotionEstimate, price: MigrationPrice): boolean {
    const ok = savingNs(est, price) > price.cpuNs + price.bandwidthNs
    if (ok) this.promoted++
    else this.rejected++
    return ok
  }

  takeCounts(): { promoted: number; rejected: number } {
    const out = { promoted: this.promoted, rejected: this.rejected }
    this.promoted = 0
    this.rejected = 0
    return out
  }
}

/** ns the frame's accesses save once it moved: nothing before the copy completes. */
export function savingNs(est: PromotionEstimate, price: MigrationPrice): number {
  const hotS = Math.max(0, est.expectedHotS - price.copyNs * 1e-9)
  return est.accessRatePerS * Math.max(0, est.latencyGapNs) * hotS
}

/** A node's best read bandwidth from any initiator (HMAT access0), bytes per ns. */
function peakBytesPerNs(ctx: PolicyContext, node: number): number {
  const a = ctx.analysis.nodes[node]?.access0
  return a ? (a.readBandwidthMBps * 1e6) / 1e9 : 0
}

/**
 * Idle read latency from the socket nearest node `from` to memory node `to`, ns, as a function
 * over a table built once (the latency gap of an accessor on `from`); Infinity when no path.
 */
export function readLatencyTable(ctx: PolicyContext): (from: number, to: number) => number {
  const N = ctx.nodeCount
  const table = new Float64Array(N * N).fill(Infinity)
  const byInitiator = new Map<string, number>()
  for (let n = 0; n < N; n++) byInitiator.set(ctx.analysis.nodes[n].component, n)
  for (const p of ctx.analysis.paths) {
    const from = byInitiator.get(p.initiator)
    if (from !== undefined && p.node < N) table[from * N + p.node] = p.readLatencyNs
  }
  return (from, to) => table[ctx.nearestCpuNode(from) * N + to]
}
