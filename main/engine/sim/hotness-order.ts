import type { CompiledWorkload } from '../workload'
import { F_HOT, UNALLOCATED, type FrameTable } from './frames'

/** Columns of the placement heatmap (shared/runs.ts HeatmapData). */
export const HEAT_BINS = 64

/** Log-weight buckets per factor of 2: frames within 2^(1/32) ≈ 2 % of each other tie. */
const BUCKETS_PER_OCTAVE = 32
const WEIGHT_BUCKETS = 4096

/** Per-node and per-bin sums the ranking fills in its last pass over the frames (SimCore's). */
export interface HotnessSums {
  /** Tier ordinal of each node. */
  tierOrdinal: Uint8Array
  /** Out: hot frames on each node. */
  hotOnNode: Int32Array
  /** Out: Σ of tier ordinals of each heat bin's allocated frames, and their count. */
  binTierSum: Float64Array
  binCount: Float64Array
}

/**
 * Orders all frames by true hotness (weight) without sorting: a counting sort over log-weight
 * buckets (frames within about 2 % of each other tie and keep address order), so equally hot
 * frames (uniform patterns) still spread over the bins. Sets each frame's heat bin and the F_HOT
 * flag on the `hotCount` hottest. O(frames) with sequential access only, run at phase changes.
 * `order`, when given, receives the frames hottest first. `sums` are refilled from the new flags
 * and bins in the same pass (one walk fewer than a separate one); returns the hot frames' count.
 */
export function rankFramesGlobally(
  _w: CompiledWorkload,
  fr: FrameTable,
  hotCount: number,
  order: Uint32Array | null,
  sums: HotnessSums,
): number {
  const F = fr.count
  const weight = fr.weight
  let maxW = 0
  for (let f = 0; f < F; f++) if (weight[f] > maxW) maxW = weight[f]
  const zeroBucket = WEIGHT_BUCKETS
  const logMax = maxW > 0 ? Math.log2(maxW) : 0
  const bucket = new Uint16Array(F)
  const next = new Float64Array(WEIGHT_BUCKETS + 1)
  for (let f = 0; f < F; f++) {
    const x = weight[f]
    let b = zeroBucket
    if (x > 0) {
      b = Math.floor((logMax - Math.log2(x)) * BUCKETS_PER_OCTAVE)
      if (b < 0) b = 0
      else if (b >= WEIGHT_BUCKETS) b = WEIGHT_BUCKETS - 1
    }
    bucket[f] = b
    next[b]++
  }
  let acc = 0
  for (let b = 0; b <= WEIGHT_BUCKETS; b++) {
    const c = next[b]
    next[b] = acc
    acc += c
  }
  const flags = fr.state
  const bin = fr.heatBin
  const nodeOf = fr.node
  const { tierOrdinal, hotOnNode, binTierSum, binCount } = sums
  hotOnNode.fill(0)
  binTierSum.fill(0)
  binCount.fill(0)
  let hotFrames = 0
  const binScale = HEAT_BINS / F
  const start = Float64Array.from(next)
  for (let f = 0; f < F; f++) {
    const b0 = bucket[f]
    if (order) order[next[b0]++] = f
    // Within a bucket of ties the frame's place is a hash of its index, not its address: first
    // touch fills nodes in address order, and an address tie-break would paint that on the map.
    const width = (b0 < WEIGHT_BUCKETS ? start[b0 + 1] : F) - start[b0]
    const pos = start[b0] + Math.floor(width * hash01(f))
    const b1 = Math.floor(pos * binScale)
    const b = b1 < HEAT_BINS ? b1 : HEAT_BINS - 1
    bin[f] = b
    const hot = pos < hotCount
    if (hot) {
      flags[f] |= F_HOT
      hotFrames++
    } else flags[f] &= ~F_HOT
    const node = nodeOf[f]
    if (node === UNALLOCATED) continue
    if (hot) hotOnNode[node]++
    binTierSum[b] += tierOrdinal[node]
    binCount[b]++
  }
  return hotFrames
}

/** A fixed pseudo-random number in [0, 1) per frame index (murmur3 finaliser). */
function hash01(x: number): number {
  let z = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return ((z ^ (z >>> 16)) >>> 0) / 4294967296
}
