/**
 * MPOL_WEIGHTED_INTERLEAVE (v6.9+): manual weights from sysfs and the automatic weights derived
 * from bandwidth (`reduce_interleave_weights` in mm/mempolicy.c) [WI][WI-ABI], and the page
 * choice. Weights are indexed like the `bandwidths`/`weights` arrays the caller passes (memory
 * nodes in NUMA id order); mapping to node ids is the caller's.
 */

/** The scale of automatic weights: each node gets a whole number in [1, 32] before the GCD [WI]. */
export const WEIGHTINESS = 32

export interface NodeBandwidth {
  /** access1 (ACCESS_COORDINATE_CPU) read bandwidth, MB/s [WI]. */
  readMBps: number
  writeMBps: number
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b]
  return a
}

/**
 * Automatic weights [WI]: bw = min(read, write) per node (whole MB/s); a node gets
 * floor(32·bw/Σbw) when 32·bw > Σbw, else 1 (no or tiny bandwidth); then every weight is
 * divided by their GCD ("1:2 is strictly better than 16:32").
 * Example: DRAM 300 GB/s and CXL 60 GB/s → floor(32·300/360) = 26 and floor(32·60/360) = 5.
 */
export function autoInterleaveWeights(bandwidths: NodeBandwidth[]): number[] {
  const bw = bandwidths.map((b) => Math.max(0, Math.floor(Math.min(b.readMBps, b.writeMBps))))
  const sum = bw.reduce((s, x) => s + x, 0)
  const w = bw.map((x) =>
    x > 0 && sum < WEIGHTINESS * x ? Math.floor((WEIGHTINESS * x) / sum) : 1,
  )
  const g = w.reduce((acc, x) => gcd(acc, x), 0) || 1
  return w.map((x) => x / g)
}

/** Manual weights as written to /sys/kernel/mm/mempolicy/weighted_interleave/nodeN: 1..255 [WI-ABI]. */
export function checkManualWeights(weights: number[]): number[] {
  weights.forEach((x, i) => {
    if (!Number.isInteger(x) || x < 1 || x > 255)
      throw new RangeError(
        `weighted-interleave weight ${i} is ${x}; weights are whole numbers from 1 to 255`,
      )
  })
  if (weights.length === 0)
    throw new RangeError('weighted interleave needs at least one node weight')
  return weights
}

/**
 * The node for interleave index `ilx` (a VMA's page offset): target = ilx mod Σw, then walk the
 * nodes subtracting their weights (`weighted_interleave_nid`) [WI]. Returns an index into
 * `weights`.
 */
export function interleaveNodeFor(weights: number[], ilx: number): number {
  let total = 0
  for (const x of weights) total += x
  let target = ((ilx % total) + total) % total
  for (let i = 0; i < weights.length; i++) {
    if (target < weights[i]) return i
    target -= weights[i]
  }
  return weights.length - 1
}

/**
 * Task-based weighted interleave (`weighted_interleave_nodes`): the task keeps the last node and
 * the weight left on it; each allocation takes one unit, moving on when it runs out [WI].
 */
export class WeightedInterleaver {
  private node = -1
  private left = 0

  constructor(private readonly weights: number[]) {
    checkManualWeights(weights)
  }

  next(): number {
    if (this.left === 0) {
      this.node = (this.node + 1) % this.weights.length
      this.left = this.weights[this.node]
    }
    this.left--
    return this.node
  }
}
