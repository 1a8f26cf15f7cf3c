import type { Pattern } from '../../../shared/formats/workload'
import type { TraceHotness } from './trace-pattern'
import type { ZipfSampler } from './zipf'

/**
 * A workload compiled for one page size and seed: regions laid out as consecutive frame ranges,
 * processes with absolute phase times, and each region's hotness permutation.
 */

export interface CompiledRegion {
  index: number
  id: string
  /** First frame of the region; regions are laid out in file order. */
  frameStart: number
  /** ceil(bytes / pageBytes). */
  frameCount: number
  bytes: number
  /** Index of the process whose initiator touches the region first. */
  firstTouchProcess: number
  /** null: allocated at start; else grown at this rate until full (1 GB/s = 1e9 B/s). */
  allocationRateBytesPerS: number | null
  /** 'sequential': rank r is the region's r-th frame; 'shuffled': a seeded permutation. */
  layout: 'sequential' | 'shuffled'
  /** Fraction of the region's accesses that are writes; null: the processes' own. */
  writeFraction: number | null
}

/**
 * Per-frame-count caches of an access. Recomputed when a caller asks for another frame count
 * (a region that is still growing); the compiled value is for the whole region.
 */
export interface AccessCache {
  frameCount: number
  /** zipf: H(frameCount, s). */
  zipfNorm: number
  /** hotset: hot frames; moving-window: window width in frames. */
  hotFrames: number
  sampler: ZipfSampler | null
}

export interface CompiledAccess {
  region: number
  /** Share of the process's accesses in this phase that go here, 0..1. */
  share: number
  pattern: Pattern
  /**
   * What the pattern's positions mean. 'rank': hotness ranks of the region's permutation
   * (uniform, zipf, hotset). 'address': offsets from the region's first frame (moving-window,
   * scan), so a window moves over address order whatever the region's layout.
   */
  order: 'rank' | 'address'
  cache: AccessCache
  /** scan, exact mode: the next address offset the sweep touches. */
  scanCursor: number
  /** trace: the replayed per-frame weights (trace-pattern.ts). */
  trace?: TraceHotness
}

export interface CompiledPhase {
  startS: number
  /** Infinity for the last phase. */
  endS: number
  accesses: CompiledAccess[]
  /** accessesByRegion[region] = this phase's accesses on that region (often empty). */
  accessesByRegion: CompiledAccess[][]
}

export interface CompiledProcess {
  index: number
  id: string
  initiator: string
  threads: number
  computeNsPerOp: number
  accessesPerOp: number
  mlp: number
  writeFraction: number
  phases: CompiledPhase[]
}

export interface CompiledWorkload {
  regions: CompiledRegion[]
  processes: CompiledProcess[]
  totalFrames: number
  pageBytes: number
  /** Hotness rank of each frame within its region (0 = hottest). */
  rankOfFrame: Uint32Array
  /** Inverse: the frame of region rank r is frameStart + frameOfRank[frameStart + r]. */
  frameOfRank: Uint32Array
}
