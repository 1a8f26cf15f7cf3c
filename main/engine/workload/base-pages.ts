import { TRACE_PAGE_BYTES } from '../../../shared/formats/workload'
import { runArray } from '../memory/run-arrays'
import type { Rng } from '../rng'
import { rangeMass, rankProbability, sampleRank } from './patterns'
import type { CompiledAccess, CompiledRegion, CompiledWorkload } from './types'

/**
 * Hotness at base-page granularity. A region's positions are its 4 KiB base pages; a pattern gives
 * each its probability (by hotness rank or by address), and the layout puts ranks in the address
 * space in blocks of `clusterPages` consecutive ranks. A frame of pagesPerFrame base pages gets
 * the sum of its base pages, so at 2 MiB hot and cold data can share a frame, and the same
 * workload and seed are the same distribution at every page size.
 */

/** The unit of hotness: a 4 KiB base page (traces count accesses per 4 KiB too). */
export const BASE_PAGE_BYTES = TRACE_PAGE_BYTES

/**
 * Default run of consecutive hotness ranks kept together in the address space, base pages:
 * 64 × 4 KiB = 256 KiB, so a 2 MiB huge page holds eight unrelated runs. A modelling choice, not a
 * measured figure: allocators keep objects of one size class and age together in chunks of this
 * order, so hot data clusters somewhat but huge pages still mix hot and cold runs (the subpage
 * skew Memtis splits huge pages for). 512 packs hot data into huge pages perfectly, 1 scatters
 * every base page on its own. docs/engine-approximations.md.
 */
export const DEFAULT_CLUSTER_PAGES = 64

/** The rank of base page `a` (address offset within the region). */
export function baseRankOf(w: CompiledWorkload, r: CompiledRegion, a: number): number {
  const L = r.clusterPages
  const block = Math.floor(a / L)
  if (block >= r.fullBlocks) return a
  return w.rankOfBlock[r.blockStart + block] * L + (a - block * L)
}

/** The base page (address offset within the region) holding rank `rank`. */
export function basePageOfRank(w: CompiledWorkload, r: CompiledRegion, rank: number): number {
  const L = r.clusterPages
  const block = Math.floor(rank / L)
  if (block >= r.fullBlocks) return rank
  return (w.blockOfRank ?? blockOfRankOf(w))[r.blockStart + block] * L + (rank - block * L)
}

/**
 * The inverse layout (rank block → address block), derived from rankOfBlock the first time
 * something maps a rank to an address (exact-mode draws, samples, device counters at 4 KiB) and
 * kept: fast-mode runs of the other sources never pay its 4 bytes per cluster block.
 */
export function blockOfRankOf(w: CompiledWorkload): Uint32Array {
  if (w.blockOfRank) return w.blockOfRank
  const out = runArray(Uint32Array, w.rankOfBlock.length, 'any')
  for (const r of w.regions)
    for (let a = 0; a < r.fullBlocks; a++) out[r.blockStart + w.rankOfBlock[r.blockStart + a]] = a
  w.blockOfRank = out
  return out
}

/** Base pages [first, end) of a region's frame (the last frame may be partly beyond the region). */
function frameBaseRange(r: CompiledRegion, frameOffset: number): [number, number] {
  const first = frameOffset * r.pagesPerFrame
  return [first, Math.min(first + r.pagesPerFrame, r.basePages)]
}

/**
 * Calls visit(rank0, count) for each run of consecutive ranks among base pages [a0, a1) of a
 * region, in address order. A run never crosses a cluster block.
 */
function forEachRankRun(
  w: CompiledWorkload,
  r: CompiledRegion,
  a0: number,
  a1: number,
  visit: (rank0: number, count: number) => void,
): void {
  const L = r.clusterPages
  let a = a0
  while (a < a1) {
    const block = Math.floor(a / L)
    if (block >= r.fullBlocks) {
      visit(a, a1 - a)
      return
    }
    const end = Math.min(a1, (block + 1) * L)
    visit(w.rankOfBlock[r.blockStart + block] * L + (a - block * L), end - a)
    a = end
  }
}

/**
 * Probability that one access of `access` hits frame `frame` at tS: the sum of its base pages'.
 * O(1) at 4 KiB; at 2 MiB one run per cluster block the frame holds.
 */
export function frameMass(
  w: CompiledWorkload,
  access: CompiledAccess,
  frame: number,
  tS: number,
): number {
  const r = w.regions[access.region]
  const n = r.basePages
  const offset = frame - r.frameStart
  if (r.pagesPerFrame === 1) {
    const pos = access.order === 'rank' ? baseRankOf(w, r, offset) : offset
    return rankProbability(access, pos, n, tS)
  }
  const [a0, a1] = frameBaseRange(r, offset)
  if (access.order === 'address') return rangeMass(access, a0, a1 - a0, n, tS)
  let sum = 0
  forEachRankRun(w, r, a0, a1, (rank0, count) => {
    sum += rangeMass(access, rank0, count, n, tS)
  })
  return sum
}

/**
 * Each base page's probability under `access` for one frame, address order, into `out` (length
 * ≥ pagesPerFrame; entries past the region's end are 0). Returns how many base pages the frame has.
 */
export function frameBaseMasses(
  w: CompiledWorkload,
  access: CompiledAccess,
  frame: number,
  tS: number,
  out: Float64Array,
): number {
  const r = w.regions[access.region]
  const [a0, a1] = frameBaseRange(r, frame - r.frameStart)
  for (let a = a0; a < a1; a++) {
    const pos = access.order === 'rank' ? baseRankOf(w, r, a) : a
    out[a - a0] = rankProbability(access, pos, r.basePages, tS)
  }
  out.fill(0, a1 - a0)
  return a1 - a0
}

/**
 * One exact-mode draw as a base page: the region's base-page offset of the access's position
 * (a rank mapped through the layout, or an address).
 */
export function sampleBasePage(
  w: CompiledWorkload,
  access: CompiledAccess,
  rng: Rng,
  tS: number,
): number {
  const r = w.regions[access.region]
  const pos = sampleRank(access, r.basePages, rng, tS)
  return access.order === 'rank' ? basePageOfRank(w, r, pos) : pos
}

/** The frame holding a region's base page. */
export function frameOfBasePage(r: CompiledRegion, basePage: number): number {
  return r.frameStart + Math.floor(basePage / r.pagesPerFrame)
}

/**
 * The k-th frame of a region hottest first by rank (k < frameCount): at 4 KiB the frame of rank
 * k; above, frames ordered by the best rank they hold (frameWalk).
 */
export function frameAtWalk(w: CompiledWorkload, r: CompiledRegion, k: number): number {
  if (r.pagesPerFrame === 1) return r.frameStart + basePageOfRank(w, r, k)
  return r.frameStart + (w.frameWalk as Uint32Array)[r.frameStart + k]
}

/**
 * Shuffles a region's cluster blocks into rankOfBlock (from its blockStart) and, when frames hold
 * several base pages, orders its frames by the best rank they hold. The layout is the inverse of
 * the Fisher–Yates shuffle of the blocks (rank → address, as blockOfRank holds it) that the
 * region's own stream draws (Rng.shuffleInPlace). With clusterPages 1 at 4 KiB it is the per-frame
 * permutation engine 0.3.0 drew.
 *
 * The inverse is built straight from the shuffle's draws: the shuffle is a product of swaps, so
 * its inverse is the same swaps replayed in reverse order on the identity, and replayed from the
 * first entry up each swap meets an entry no earlier swap touched (the "inside-out" shuffle):
 * one pass, no identity fill, no scatter of the inverse. The draws need a scratch of the
 * region's blocks; callers laying out several regions pass one of the largest region's size:
 * fresh pages cost a fault each (~3-4 ms per MiB on the bench machines), reused ones do not. The
 * scratch is free once the layout is done, before any per-frame state of the run exists (a run
 * gives it back to memory/run-arrays.ts, which keeps it only while small), so it does not add to
 * a big run's peak (bench: big1TiB). Only the frame walk (frames above 4 KiB) needs
 * the rank → address direction, scattered into the scratch once the draws are spent.
 */
export function layOutRegion(
  w: Pick<CompiledWorkload, 'rankOfBlock' | 'frameWalk'>,
  r: CompiledRegion,
  layoutRng: Rng,
  scratch: Uint32Array = new Uint32Array(r.fullBlocks),
): void {
  const n = r.fullBlocks
  const inverse = w.rankOfBlock.subarray(r.blockStart, r.blockStart + n)
  if (r.layout === 'shuffled' && n > 0) {
    const draws = shuffleDraws(layoutRng.fork(`region:${r.id}`), scratch.subarray(0, n))
    inverse[0] = 0
    for (let i = 1; i < n; i++) {
      const j = draws[i]
      inverse[i] = inverse[j]
      inverse[j] = i
    }
  } else for (let i = 0; i < n; i++) inverse[i] = i
  if (!w.frameWalk) return
  const perm = scratch.subarray(0, n)
  for (let b = 0; b < n; b++) perm[inverse[b]] = b
  walkFrames(w.frameWalk, r, perm)
}

/**
 * The draws Rng.shuffleInPlace makes for an array of out.length entries, without the array:
 * out[i] = rng.nextInt(i + 1), drawn for i from the end down to 1 (out[0] = 0), the same stream.
 * Replaying them as swaps gives the shuffle, or in reverse order its inverse (layOutRegion).
 * nextInt's rejection written out: u ≥ 2^32 − (2^32 mod n) exactly when u − (u mod n) > 2^32 − n.
 */
export function shuffleDraws(rng: Rng, out: Uint32Array): Uint32Array {
  for (let i = out.length - 1; i > 0; i--) {
    const n = i + 1
    let u = rng.nextUint32()
    let j = u % n
    while (u - j > TWO_POW_32 - n) {
      u = rng.nextUint32()
      j = u % n
    }
    out[i] = j
  }
  if (out.length > 0) out[0] = 0
  return out
}

const TWO_POW_32 = 4294967296

/** Frames of a region by the best rank they hold: rank runs in rank order (perm: rank → address block). */
function walkFrames(frameWalk: Uint32Array, r: CompiledRegion, perm: Uint32Array): void {
  // Each rank run names the frames it lies in, first time only.
  const walk = frameWalk.subarray(r.frameStart, r.frameStart + r.frameCount)
  const seen = new Uint8Array(r.frameCount)
  const L = r.clusterPages
  const P = r.pagesPerFrame
  let k = 0
  const add = (a0: number, a1: number) => {
    for (let f = Math.floor(a0 / P); f * P < a1; f++)
      if (!seen[f]) {
        seen[f] = 1
        walk[k++] = f
      }
  }
  for (let b = 0; b < r.fullBlocks; b++) add(perm[b] * L, perm[b] * L + L)
  add(r.fullBlocks * L, r.basePages)
}
