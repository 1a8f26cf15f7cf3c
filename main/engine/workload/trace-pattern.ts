import { TRACE_PAGE_BYTES, type Trace } from '../../../shared/formats/workload'
import type { Rng } from '../rng'

/**
 * The `trace` pattern: a replayed trace's per-4 KiB access counts (DESIGN.md §3) turned into frame
 * weights for one page size. A frame's weight is the sum of its base pages (a frame smaller than
 * 4 KiB gets an equal share of its page), so the same trace gives the same accesses at any
 * pageBytes. Positions are address offsets from the region's first frame.
 */
export interface TraceHotness {
  /** Accesses per frame, address order. */
  frameWeights: Float64Array
  /** prefix[i] = Σ frameWeights[0..i] (inclusive); a growing region normalises by its prefix. */
  prefix: Float64Array
  /** Lazily: frame weights sorted hottest first, cumulative (for the hotness preview). */
  sortedPrefix: Float64Array | null
}

export function compileTrace(trace: Trace, frameCount: number, pageBytes: number): TraceHotness {
  const w = new Float64Array(frameCount)
  let page = 0
  if (pageBytes >= TRACE_PAGE_BYTES) {
    const pagesPerFrame = pageBytes / TRACE_PAGE_BYTES
    for (const [n, count] of trace.pages) {
      if (count > 0)
        for (let k = 0; k < n; k++) {
          const f = Math.floor((page + k) / pagesPerFrame)
          if (f < frameCount) w[f] += count
        }
      page += n
    }
  } else {
    const framesPerPage = TRACE_PAGE_BYTES / pageBytes
    for (const [n, count] of trace.pages) {
      if (count > 0)
        for (let f = page * framesPerPage; f < (page + n) * framesPerPage && f < frameCount; f++)
          w[f] = count / framesPerPage
      page += n
    }
  }
  const prefix = new Float64Array(frameCount)
  let sum = 0
  for (let i = 0; i < frameCount; i++) prefix[i] = sum += w[i]
  return { frameWeights: w, prefix, sortedPrefix: null }
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

/** Mass of the k hottest frames (the pattern's own order for the hotness preview). */
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
