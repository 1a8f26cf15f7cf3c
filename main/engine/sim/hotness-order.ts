import type { CompiledWorkload } from '../workload'
import { giveBackRunArray, runArray } from '../memory/run-arrays'
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
  const logMax = maxW > 0 ? Math.log2(maxW) : 0
  const bucket = runArray(Uint16Array, F, 'any')
  const next = new Float64Array(WEIGHT_BUCKETS + 1)
  if (F >= CELL_CACHE_MIN_FRAMES) bucketsByCell(weight, logMax, bucket, next)
  else
    for (let f = 0; f < F; f++) {
      const b = bucketOf(weight[f], logMax)
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
  giveBackRunArray(bucket)
  return hotFrames
}

/** A weight's log bucket below the heaviest (log2 of it `logMax`); zero weights after the last. */
export function bucketOf(x: number, logMax: number): number {
  if (!(x > 0)) return WEIGHT_BUCKETS
  const b = Math.floor((logMax - Math.log2(x)) * BUCKETS_PER_OCTAVE)
  return b < 0 ? 0 : b >= WEIGHT_BUCKETS ? WEIGHT_BUCKETS - 1 : b
}

/**
 * Weights are float32, and bucketOf falls as the weight grows (Math.log2 is non-decreasing over
 * every positive float32: checked exhaustively on V8's fdlibm log2, the one Node and Electron
 * ship, and IEEE subtraction, scaling and floor keep the order). So float32s sharing their top
 * 20 bits (sign, exponent, 11 mantissa bits: a cell 1/2048 of an octave wide) share a bucket
 * whenever the cell's two ends do, which two log2 calls per cell decide; only weights in the
 * ~1.6 % of cells a bucket boundary crosses still take their own log2. The same buckets as
 * bucketOf per frame, for a few log2 calls per cell met instead of one per frame: worth it from
 * CELL_CACHE_MIN_FRAMES frames. Cell values: 0 not yet seen, 1 crossed by a boundary, else
 * bucket + 2.
 */
const CELL_SHIFT = 12
const CELL_CACHE_MIN_FRAMES = 1 << 18
const CELL_CROSSED = 1
const cellEnd = new Float32Array(1)
const cellEndBits = new Uint32Array(cellEnd.buffer)

function bucketOfBits(bits: number, logMax: number): number {
  cellEndBits[0] = bits
  return bucketOf(cellEnd[0], logMax)
}

export function bucketsByCell(
  weight: Float32Array,
  logMax: number,
  bucket: Uint16Array,
  count: Float64Array,
): void {
  const bits = new Uint32Array(weight.buffer, weight.byteOffset, weight.length)
  const cells = runArray(Uint16Array, 2 ** (32 - CELL_SHIFT))
  for (let f = 0; f < weight.length; f++) {
    const x = weight[f]
    let b = WEIGHT_BUCKETS
    if (x > 0) {
      const cell = bits[f] >>> CELL_SHIFT
      let c = cells[cell]
      if (c === 0) {
        const lo = bucketOfBits(cell << CELL_SHIFT, logMax)
        const hi = bucketOfBits(((cell << CELL_SHIFT) | ((1 << CELL_SHIFT) - 1)) >>> 0, logMax)
        c = cells[cell] = lo === hi ? lo + 2 : CELL_CROSSED
      }
      b = c === CELL_CROSSED ? bucketOf(x, logMax) : c - 2
    }
    bucket[f] = b
    count[b]++
  }
  giveBackRunArray(cells)
}

/** A fixed pseudo-random number in [0, 1) per frame index (murmur3 finaliser). */
function hash01(x: number): number {
  let z = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return ((z ^ (z >>> 16)) >>> 0) / 4294967296
}
