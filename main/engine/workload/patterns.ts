import type { Rng } from '../rng'
import type { CompiledAccess } from './types'
import {
  sampleTrace,
  traceCumulativeMass,
  traceProbability,
  traceRangeMass,
  type TraceHotness,
} from './trace-pattern'
import { harmonic, zipfRangeSum, ZipfSampler } from './zipf'

/**
 * Access patterns as probability mass over a region's positions — its 4 KiB base pages, as
 * hotness ranks or address offsets (CompiledAccess.order) — their cumulative mass, the mass of a
 * run of positions (what a frame of several base pages sums), and exact-mode draws. `frameCount`
 * arguments below count positions, i.e. base pages.
 */

/** Refreshes an access's caches for a position count (O(1), or O(1024) for small zipf regions). */
export function accessCache(access: CompiledAccess, frameCount: number): CompiledAccess['cache'] {
  const c = access.cache
  if (c.positions === frameCount) return c
  const p = access.pattern
  c.positions = frameCount
  c.zipfNorm = p.kind === 'zipf' ? harmonic(frameCount, p.s) : 0
  c.sampler = null
  c.hotPositions =
    p.kind === 'hotset'
      ? clampFrames(p.hotFraction * frameCount, frameCount)
      : p.kind === 'moving-window'
        ? clampFrames(p.widthFraction * frameCount, frameCount)
        : 0
  return c
}

function clampFrames(x: number, n: number): number {
  return Math.min(n, Math.max(1, Math.round(x)))
}

/**
 * Where a moving window is at tS, in address order: base pages start, start+1, …, start+width−1
 * (mod frameCount) of the region.
 *
 * The start is floor(frac(tS/periodS) × frameCount), so between two times it advances by about
 * frameCount × Δt/periodS base pages. A core that keeps per-node masses incrementally applies
 * `windowShift` each epoch: the frames that leave lose windowProbability/width each, the frames
 * that enter gain it, and the uniform part (1 − windowProbability)/frameCount never changes.
 */
export function windowFramesAt(
  access: CompiledAccess,
  frameCount: number,
  tS: number,
): { start: number; width: number } {
  const p = access.pattern
  if (p.kind !== 'moving-window')
    throw new Error(`windowFramesAt needs a moving-window access, got ${p.kind}`)
  const width = accessCache(access, frameCount).hotPositions
  const cycles = tS / p.periodS
  const frac = cycles - Math.floor(cycles)
  const start = Math.floor(frac * frameCount) % frameCount
  return { start, width }
}

/**
 * The address ranges that leave and enter a moving window between t0S and t1S (t1S ≥ t0S), each
 * as { start, count } in address order, wrapping mod frameCount. When the window moved by a
 * width or more, everything leaves and the whole new window enters.
 */
export function windowShift(
  access: CompiledAccess,
  frameCount: number,
  t0S: number,
  t1S: number,
): { leaving: { start: number; count: number }; entering: { start: number; count: number } } {
  const a = windowFramesAt(access, frameCount, t0S)
  const b = windowFramesAt(access, frameCount, t1S)
  const periodS = (access.pattern as { periodS: number }).periodS
  // Unwrapped advance: whole sweeps count frameCount frames each.
  const sweeps = Math.floor(t1S / periodS) - Math.floor(t0S / periodS)
  const moved = b.start - a.start + sweeps * frameCount
  if (moved >= a.width)
    return {
      leaving: { start: a.start, count: a.width },
      entering: { start: b.start, count: b.width },
    }
  return {
    leaving: { start: a.start, count: moved },
    entering: { start: (a.start + a.width) % frameCount, count: moved },
  }
}

/**
 * Probability that one access hits position `pos` (a rank, or an address offset for
 * order 'address') of a region of frameCount frames at tS. Sums to 1 over 0..frameCount−1.
 */
export function rankProbability(
  access: CompiledAccess,
  pos: number,
  frameCount: number,
  tS: number,
): number {
  if (pos < 0 || pos >= frameCount) return 0
  const p = access.pattern
  switch (p.kind) {
    case 'uniform':
    case 'scan':
      return 1 / frameCount
    case 'zipf': {
      const c = accessCache(access, frameCount)
      return Math.pow(pos + 1, -p.s) / c.zipfNorm
    }
    case 'hotset': {
      const hot = accessCache(access, frameCount).hotPositions
      if (hot >= frameCount) return 1 / frameCount
      return pos < hot ? p.hotProbability / hot : (1 - p.hotProbability) / (frameCount - hot)
    }
    case 'moving-window': {
      const { start, width } = windowFramesAt(access, frameCount, tS)
      const inWindow = (pos - start + frameCount) % frameCount < width
      return (1 - p.windowProbability) / frameCount + (inWindow ? p.windowProbability / width : 0)
    }
    case 'trace':
      return traceProbability(traceOf(access), pos, frameCount)
  }
}

/**
 * Mass of the k most likely positions in the pattern's own order (for a moving window: the window
 * first, from its start). Used by the hotness preview; equals Σ_{pos<k} rankProbability for
 * rank-ordered patterns.
 */
export function cumulativeMass(access: CompiledAccess, k: number, frameCount: number): number {
  if (k <= 0) return 0
  if (k >= frameCount) return 1
  const p = access.pattern
  switch (p.kind) {
    case 'uniform':
    case 'scan':
      return k / frameCount
    case 'zipf':
      return harmonic(k, p.s) / accessCache(access, frameCount).zipfNorm
    case 'hotset': {
      const hot = accessCache(access, frameCount).hotPositions
      if (hot >= frameCount) return k / frameCount
      return k <= hot
        ? (p.hotProbability * k) / hot
        : p.hotProbability + ((1 - p.hotProbability) * (k - hot)) / (frameCount - hot)
    }
    case 'moving-window': {
      const w = accessCache(access, frameCount).hotPositions
      const uniform = (1 - p.windowProbability) / frameCount
      return k <= w ? k * (p.windowProbability / w + uniform) : p.windowProbability + uniform * k
    }
    case 'trace':
      return traceCumulativeMass(traceOf(access), k, frameCount)
  }
}

/**
 * Mass of positions p0 .. p0+count−1 (clipped to the region) at tS: Σ rankProbability over the
 * run in O(1) for every pattern but trace's prefix sums. A 2 MiB frame's probability is the sum of
 * such runs (base-pages.ts).
 */
export function rangeMass(
  access: CompiledAccess,
  p0: number,
  count: number,
  frameCount: number,
  tS: number,
): number {
  const lo = Math.max(0, p0)
  const hi = Math.min(frameCount, p0 + count)
  if (hi <= lo) return 0
  if (hi - lo === 1) return rankProbability(access, lo, frameCount, tS)
  const p = access.pattern
  switch (p.kind) {
    case 'uniform':
    case 'scan':
      return (hi - lo) / frameCount
    case 'zipf':
      return zipfRangeSum(lo, hi, p.s) / accessCache(access, frameCount).zipfNorm
    case 'hotset': {
      const hot = accessCache(access, frameCount).hotPositions
      if (hot >= frameCount) return (hi - lo) / frameCount
      const inHot = Math.max(0, Math.min(hi, hot) - lo)
      return (
        (p.hotProbability * inHot) / hot +
        ((1 - p.hotProbability) * (hi - lo - inHot)) / (frameCount - hot)
      )
    }
    case 'moving-window': {
      const { start, width } = windowFramesAt(access, frameCount, tS)
      // The window is [start, start+width) mod n: at most two linear pieces.
      const overlap = (a: number, b: number) => Math.max(0, Math.min(hi, b) - Math.max(lo, a))
      const end = start + width
      const inWindow = overlap(start, Math.min(end, frameCount)) + overlap(0, end - frameCount)
      return (
        ((1 - p.windowProbability) * (hi - lo)) / frameCount +
        (inWindow * p.windowProbability) / width
      )
    }
    case 'trace':
      return traceRangeMass(traceOf(access), lo, hi, frameCount)
  }
}

/**
 * One exact-mode draw: a rank (order 'rank') or an address offset (order 'address'). O(1):
 * zipf uses rejection-inversion, a scan returns consecutive addresses (its cursor is state on
 * the access, one per access entry).
 */
export function sampleRank(
  access: CompiledAccess,
  frameCount: number,
  rng: Rng,
  tS: number,
): number {
  const p = access.pattern
  switch (p.kind) {
    case 'uniform':
      return rng.nextInt(frameCount)
    case 'scan': {
      const pos = access.scanCursor % frameCount
      access.scanCursor = (pos + 1) % frameCount
      return pos
    }
    case 'zipf': {
      if (p.s === 0) return rng.nextInt(frameCount)
      const c = accessCache(access, frameCount)
      if (!c.sampler) c.sampler = new ZipfSampler(frameCount, p.s)
      return c.sampler.sample(rng)
    }
    case 'hotset': {
      const hot = accessCache(access, frameCount).hotPositions
      if (hot >= frameCount) return rng.nextInt(frameCount)
      return rng.next() < p.hotProbability ? rng.nextInt(hot) : hot + rng.nextInt(frameCount - hot)
    }
    case 'moving-window': {
      const { start, width } = windowFramesAt(access, frameCount, tS)
      return rng.next() < p.windowProbability
        ? (start + rng.nextInt(width)) % frameCount
        : rng.nextInt(frameCount)
    }
    case 'trace':
      return sampleTrace(traceOf(access), frameCount, rng)
  }
}

function traceOf(access: CompiledAccess): TraceHotness {
  if (!access.trace) throw traceError()
  return access.trace
}

export function traceError(where = ''): Error {
  return new Error(
    `${where}a trace pattern needs its trace in the workload's "traces"; import one with \`tierlab import-trace\``,
  )
}
