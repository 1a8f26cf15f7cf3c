/**
 * The per-access latency distribution of a whole run. Each epoch adds its latency mix: for every
 * (process, node) pair, the accesses it served at that pair's loaded latency. Percentiles are then
 * taken over accesses, not over epoch means, so a static placement that serves a quarter of the
 * accesses from CXL at 260 ns has p99 = 260 ns however steady the mean is.
 *
 * Memory stays fixed whatever the run's length: weights go into log-spaced bins `RESOLUTION`
 * apart (0.1 %, like an HDR histogram), and each bin keeps the weighted sum of its latencies, so a
 * percentile is the mean latency of the accesses in its bin — exact when the bin holds one
 * latency (the usual case: a pair's latency repeats while the load is steady).
 */
const MIN_NS = 1
const MAX_NS = 1e7
const RESOLUTION = 1.001
const LOG_STEP = Math.log(RESOLUTION)
const BINS = Math.ceil(Math.log(MAX_NS / MIN_NS) / LOG_STEP) + 1

export class LatencyMix {
  private readonly weight = new Float64Array(BINS)
  private readonly weightedNs = new Float64Array(BINS)
  private total = 0

  /** `accesses` (any consistent weight: accesses, or accesses/s of equal epochs) at `latencyNs`. */
  add(latencyNs: number, accesses: number): void {
    if (!(accesses > 0) || !Number.isFinite(latencyNs) || !Number.isFinite(accesses)) return
    const clamped = Math.min(MAX_NS, Math.max(MIN_NS, latencyNs))
    const bin = Math.min(BINS - 1, Math.floor(Math.log(clamped / MIN_NS) / LOG_STEP))
    this.weight[bin] += accesses
    this.weightedNs[bin] += accesses * latencyNs
    this.total += accesses
  }

  /**
   * The q-quantile (0..1) by weighted nearest rank: the latency of the access at rank ⌈q·total⌉,
   * i.e. the smallest latency whose cumulative share reaches q. 0 when nothing was added.
   */
  percentile(q: number): number {
    if (this.total <= 0) return 0
    // A relative tolerance keeps q = 0.75 on the bin that holds exactly three quarters.
    const rank = q * this.total * (1 - 1e-12)
    let cum = 0
    for (let b = 0; b < BINS; b++) {
      const w = this.weight[b]
      if (w <= 0) continue
      cum += w
      if (cum >= rank) return this.weightedNs[b] / w
    }
    return 0
  }
}
