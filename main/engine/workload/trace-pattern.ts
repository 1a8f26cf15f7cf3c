import type { Trace } from '../../../shared/formats/workload'
import type { Rng } from '../rng'

/**
 * The `trace` pattern: a replayed trace's per-4 KiB access counts (DESIGN.md §3) as the weights of
 * the region's base pages, which is what every pattern's positions are (base-pages.ts): a frame of
 * any size sums its base pages, so the same trace gives the same accesses at any pageBytes.
 * Positions are base-page offsets from the region's first byte.
 */
export interface TraceHotness {
  /** Accesses per base page, address order. */
  frameWeights: Float64Array
  /** prefix[i] = Σ frameWeights[0..i] (inclusive); a growing region normalises by its prefix. */
  prefix: Float64Array
  /** Lazily: base-page weights sorted hottest first, cumulative (for the hotness preview). */
  sortedPrefix: Float64Array | null
}

export function compileTrace(trace: Trace, basePages: number): TraceHotness {
  const w = new Float64Array(basePages)
  let page = 0
  for (const [n, count] of trace.pages) {
    if (count > 0) w.fill(count, Math.min(page, basePages), Math.min(page + n, basePages))
    page += n
  }
  const prefix = new Float64Array(basePages)
  let sum = 0
  for (let i = 0; i < basePages; i++) prefix[i] = sum += w[i]
  return { frameWeights: w, prefix, sortedPrefix: null }
}

/** Mass of base pages lo..hi−1 (lo < hi ≤ frameCount). */
export function traceRangeMass(
  t: TraceHotness,
  lo: number,
  hi: number,
  frameCount: number,
): number {
  const total = totalOf(t, frameCount)
  if (total <= 0) return (hi - lo) / frameCount
  return (t.prefix[hi - 1] - (lo > 0 ? t.prefix[lo - 1] : 0)) / total
}

function totalOf(t: TraceHotness, frameCount: number): number {
  const n = Math.min(frameCount, t.prefix.length)
  return n > 0 ? t.prefix[n - 1] : 0
}

/** P(one access hits address offset pos) over the region's first frameCount frames. */
export function traceProbability(t: TraceHotness, pos: number, frameCount: number): number {
  const total = totalOf(t, frameCount)
  // A growing region whose allocated part has no traced accesses yet: spread them evenly.
  if (total <= 0) return 1 / frameCount
  return t.frameWeights[pos] / total
}

/** Mass of the k hottest base pages (the pattern's own order for the hotness preview). */
export function traceCumulativeMass(t: TraceHotness, k: number, frameCount: number): number {
  if (frameCount < t.frameWeights.length) {
    // Growing region: address prefix is the best cheap answer.
    const total = totalOf(t, frameCount)
    return total > 0 ? t.prefix[Math.min(k, frameCount) - 1] / total : k / frameCount
  }
  if (!t.sortedPrefix) {
    const sorted = Float64Array.from(t.frameWeights).sort().reverse()
    let sum = 0
    for (let i = 0; i < sorted.length; i++) sorted[i] = sum += sorted[i]
    t.sortedPrefix = sorted
  }
  const total = t.sortedPrefix[t.sortedPrefix.length - 1]
  return total > 0 ? t.sortedPrefix[k - 1] / total : k / frameCount
}

/** One exact-mode draw: binary search of the prefix sums. O(log frames). */
export function sampleTrace(t: TraceHotness, frameCount: number, rng: Rng): number {
  const total = totalOf(t, frameCount)
  if (total <= 0) return rng.nextInt(frameCount)
  const x = rng.next() * total
  let lo = 0
  let hi = Math.min(frameCount, t.prefix.length) - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (t.prefix[mid] > x) hi = mid
    else lo = mid + 1
  }
  return lo
}
