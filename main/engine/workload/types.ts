import type { Pattern } from '../../../shared/formats/workload'
import type { TraceHotness } from './trace-pattern'
import type { ZipfSampler } from './zipf'

/**
 * A workload compiled for one page size and seed: regions laid out as consecutive frame ranges,
 * processes with absolute phase times, and each region's hotness permutation.
 *
 * Hotness is defined per 4 KiB base page whatever `pageBytes` is (base-pages.ts): patterns give
 * each base page its probability, the layout places base-page ranks in the address space in
 * clusters of `clusterPages`, and a frame's probability is the sum of its base pages'. The same
 * workload and seed are therefore the same access distribution at 4 KiB and 2 MiB.
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
  /** 'sequential': rank r is the region's r-th base page; 'shuffled': a seeded permutation. */
  layout: 'sequential' | 'shuffled'
  /** Fraction of the region's accesses that are writes; null: the processes' own. */
  writeFraction: number | null
  /** 4 KiB base pages: ceil(bytes / 4096). Patterns' positions run over these. */
  basePages: number
  /** Base pages per frame: pageBytes / 4096 (1 at 4 KiB, 512 at 2 MiB). */
  pagesPerFrame: number
  /**
   * Consecutive hotness ranks that stay together in the address space (a power of two, 1..512):
   * the shuffle moves blocks of this many base pages, so a 2 MiB frame holds 512 / clusterPages
   * unrelated runs of hotness.
   */
  clusterPages: number
  /** First entry of the region's blocks in rankOfBlock / blockOfRank. */
  blockStart: number
  /** Whole blocks that are shuffled; base pages past fullBlocks × clusterPages keep rank = address. */
  fullBlocks: number
  /** What backs the pages (workload `backing`); absent means anonymous memory. */
  backing?: 'anon' | 'file' | 'tmpfs'
}

/**
 * Per-position-count caches of an access (positions are the region's base pages). Recomputed
 * when a caller asks for another count; the compiled value is for the whole region.
 */
export interface AccessCache {
  positions: number
  /** zipf: H(positions, s). */
  zipfNorm: number
  /** hotset: hot base pages; moving-window: window width in base pages. */
  hotPositions: number
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
  /** scan, exact mode: the next base-page offset the sweep touches. */
  scanCursor: number
  /** trace: the replayed per-base-page weights (trace-pattern.ts). */
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
  /**
   * Rank block of each address block (blocks of clusterPages base pages, region's entries from
   * blockStart): base page a of a region has rank rankOfBlock[blockStart + a/L]·L + a mod L.
   */
  rankOfBlock: Uint32Array
  /**
   * Inverse: the address block holding rank block b is blockOfRank[blockStart + b]. null until
   * something samples by rank (exact mode, samples, device counters at 4 KiB): `blockOfRankOf`
   * derives it then, so a fast-mode run without such a source keeps 4 bytes per block fewer.
   */
  blockOfRank: Uint32Array | null
  /**
   * Frames hottest-first by the best rank they hold, per region from frameStart (offsets within
   * the region); null at 4 KiB, where the walk follows the ranks themselves.
   */
  frameWalk: Uint32Array | null
}
