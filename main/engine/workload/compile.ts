import type { Pattern, Trace, Workload } from '../../../shared/formats/workload'
import { gibToBytes } from '../../../shared/units'
import { giveBackRunArray, runArray } from '../memory/run-arrays'
import { Rng } from '../rng'
import { BASE_PAGE_BYTES, DEFAULT_CLUSTER_PAGES, frameMass, frameOfBasePage } from './base-pages'
import { layOutRegion, sampleBasePage } from './base-pages'
import { accessCache, traceError } from './patterns'
import { compileTrace, type TraceHotness } from './trace-pattern'
import type {
  CompiledAccess,
  CompiledPhase,
  CompiledProcess,
  CompiledRegion,
  CompiledWorkload,
} from './types'

/**
 * Compiles a validated workload for a page size and seed.
 *
 * Shared regions: every access entry keeps its own pattern, but the hotness permutation belongs
 * to the region, so two processes with skewed patterns on one region agree on which pages are hot
 * (rank 0 is the same base page for both). A region is laid out 'shuffled' when some zipf or
 * hotset access on it asks for the (default) shuffled layout, 'sequential' otherwise; zipf/hotset
 * accesses that disagree on the layout or the clusterPages of one region are an error.
 *
 * Memory: rankOfBlock holds 4 bytes per cluster block (4 KiB × clusterPages), blockOfRank 4 more
 * only once something maps ranks to addresses (blockOfRankOf), frameWalk 4 bytes per frame above
 * 4 KiB; no array is per base page.
 */

/**
 * 2^28 frames = 1 TiB at 4 KiB: at the engine's ≤ 28 B/frame (docs/engine-approximations.md,
 * "Memory per frame") a run then fits 8 GiB. Frame ids stay below 2^31, so int32 indices, `| 0`
 * and the bitmaps' `f >>> 5` hold; per-frame typed arrays stay far below Node 20's 2^32-element
 * limit.
 */
export const MAX_FRAMES = 1 << 28
/** Cluster blocks of all regions: 8 bytes each, 2 GiB at the limit (1 TiB with clusterPages 1). */
export const MAX_BLOCKS = 1 << 28

function accessOrder(p: Pattern): 'rank' | 'address' {
  return p.kind === 'moving-window' || p.kind === 'scan' || p.kind === 'trace' ? 'address' : 'rank'
}

function compileAccess(
  a: { region: string; share: number; pattern: Pattern },
  regionIndex: Map<string, number>,
  where: string,
  traceFor: (traceId: string, region: number) => TraceHotness | undefined,
): CompiledAccess {
  const region = regionIndex.get(a.region)
  if (region === undefined)
    throw new Error(`${where}: names region "${a.region}", which does not exist`)
  const trace = a.pattern.kind === 'trace' ? traceFor(a.pattern.trace, region) : undefined
  if (a.pattern.kind === 'trace' && !trace) throw traceError(`${where}: `)
  return {
    trace,
    region,
    share: a.share,
    pattern: a.pattern,
    order: accessOrder(a.pattern),
    cache: { positions: -1, zipfNorm: 0, hotPositions: 0, sampler: null },
    scanCursor: 0,
  }
}

/** Which layouts and cluster sizes the skewed (zipf, hotset) accesses of each region ask for. */
function wantedLayouts(w: Workload): Array<{
  layouts: Set<'sequential' | 'shuffled'>
  clusters: Set<number>
}> {
  const regionIndex = new Map(w.regions.map((r, i) => [r.id, i]))
  const wanted = w.regions.map(() => ({
    layouts: new Set<'sequential' | 'shuffled'>(),
    clusters: new Set<number>(),
  }))
  for (const p of w.processes)
    for (const ph of p.phases)
      for (const a of ph.accesses) {
        const ri = regionIndex.get(a.region)
        if (ri === undefined) continue
        if (a.pattern.kind === 'zipf' || a.pattern.kind === 'hotset') {
          wanted[ri].layouts.add(a.pattern.layout ?? 'shuffled')
          wanted[ri].clusters.add(a.pattern.clusterPages ?? DEFAULT_CLUSTER_PAGES)
        }
      }
  return wanted
}

/** The region's cluster size: what its skewed accesses ask for, else the default. */
function clusterPagesOf(wanted: { clusters: Set<number> }): number {
  return wanted.clusters.size > 0 ? [...wanted.clusters][0] : DEFAULT_CLUSTER_PAGES
}

/**
 * Everything compileWorkload would refuse, checked without building anything (no per-frame
 * array, no layout shuffle), so a host can refuse an experiment before it is archived. Returns
 * the workload's frame count.
 */
export function checkWorkloadShape(
  w: Workload,
  pageBytes: number,
  options: CompileOptions = {},
): { totalFrames: number } {
  if (!Number.isInteger(pageBytes) || pageBytes < BASE_PAGE_BYTES || pageBytes % BASE_PAGE_BYTES)
    throw new RangeError(
      `pageBytes must be a whole multiple of the 4096-byte base page (4096 or 2097152), got ${pageBytes}`,
    )
  const wanted = wantedLayouts(w)
  let totalFrames = 0
  let totalBlocks = 0
  w.regions.forEach((r, index) => {
    if (wanted[index].layouts.size > 1)
      throw new Error(
        `region "${r.id}": its zipf/hotset accesses ask for both the sequential and the shuffled layout; the hot pages are shared per region, so give them the same layout`,
      )
    if (wanted[index].clusters.size > 1)
      throw new Error(
        `region "${r.id}": its zipf/hotset accesses ask for different clusterPages (${[...wanted[index].clusters].join(', ')}); the layout is shared per region, so give them the same clusterPages`,
      )
    const basePages = Math.max(1, Math.ceil(gibToBytes(r.sizeGiB) / BASE_PAGE_BYTES))
    totalFrames += Math.ceil(basePages / (pageBytes / BASE_PAGE_BYTES))
    totalBlocks += Math.floor(basePages / clusterPagesOf(wanted[index]))
  })
  if (totalFrames > MAX_FRAMES)
    throw new RangeError(
      `the workload needs ${totalFrames} frames of ${pageBytes} bytes, more than the engine's ${MAX_FRAMES}; use 2 MiB pages or smaller regions`,
    )
  if (options.layout !== false && totalBlocks > MAX_BLOCKS)
    throw new RangeError(
      `the workload's layout needs ${totalBlocks} cluster blocks, more than the engine's ${MAX_BLOCKS}; give its zipf/hotset patterns a larger clusterPages or use smaller regions`,
    )
  w.processes.forEach((p) =>
    p.phases.forEach((ph, phi) =>
      ph.accesses.forEach((a, ai) => {
        const pattern = a.pattern
        // A trace pattern runs when its per-page hotness travels with the workload (import-trace).
        if (pattern.kind === 'trace' && !w.traces?.some((t) => t.id === pattern.trace))
          throw traceError(`process "${p.id}" phase ${phi + 1} access ${ai + 1}: `)
      }),
    ),
  )
  return { totalFrames }
}

/** What a caller needs compiled. */
export interface CompileOptions {
  /**
   * false: no layout (every rank at its own address, no block arrays): enough for the hotness
   * preview, which never asks where a rank lives, and cheap for any size. Not for simulation.
   */
  layout?: boolean
}

export function compileWorkload(
  w: Workload,
  pageBytes: number,
  seed: number,
  options: CompileOptions = {},
): CompiledWorkload {
  checkWorkloadShape(w, pageBytes, options)
  const withLayout = options.layout !== false
  const processIndex = new Map(w.processes.map((p, i) => [p.id, i]))
  const regionIndex = new Map(w.regions.map((r, i) => [r.id, i]))
  const wanted = wantedLayouts(w)

  let frameStart = 0
  let blockStart = 0
  const pagesPerFrame = pageBytes / BASE_PAGE_BYTES
  const regions: CompiledRegion[] = w.regions.map((r, index) => {
    const bytes = gibToBytes(r.sizeGiB)
    const basePages = Math.max(1, Math.ceil(bytes / BASE_PAGE_BYTES))
    const frameCount = Math.ceil(basePages / pagesPerFrame)
    const clusterPages = clusterPagesOf(wanted[index])
    const firstTouchProcess = processIndex.get(r.firstTouch)
    if (firstTouchProcess === undefined)
      throw new Error(
        `region "${r.id}": firstTouch names process "${r.firstTouch}", which does not exist`,
      )
    const out: CompiledRegion = {
      index,
      id: r.id,
      frameStart,
      frameCount,
      bytes,
      firstTouchProcess,
      allocationRateBytesPerS: r.allocation === 'start' ? null : r.allocation.rateGBps * 1e9,
      layout: wanted[index].layouts.has('shuffled') ? 'shuffled' : 'sequential',
      basePages,
      pagesPerFrame,
      clusterPages,
      blockStart,
      fullBlocks: withLayout ? Math.floor(basePages / clusterPages) : 0,
      writeFraction: r.writeFraction ?? null,
      backing: r.backing,
    }
    frameStart += frameCount
    blockStart += out.fullBlocks
    return out
  })
  const totalFrames = frameStart

  // One compiled trace per (trace, region) pair, shared by every access that replays it.
  const traces = new Map<string, Trace>((w.traces ?? []).map((t) => [t.id, t]))
  const compiledTraces = new Map<string, TraceHotness>()
  const traceFor = (traceId: string, region: number): TraceHotness | undefined => {
    const key = `${traceId}\u0000${region}`
    const t = traces.get(traceId)
    if (!t) return undefined
    if (!compiledTraces.has(key))
      compiledTraces.set(key, compileTrace(t, regions[region].basePages))
    return compiledTraces.get(key)
  }

  const processes: CompiledProcess[] = w.processes.map((p, index) => {
    let t = 0
    const phases: CompiledPhase[] = p.phases.map((ph, phi) => {
      const accesses = ph.accesses.map((a, ai) =>
        compileAccess(
          a,
          regionIndex,
          `process "${p.id}" phase ${phi + 1} access ${ai + 1}`,
          traceFor,
        ),
      )
      const accessesByRegion: CompiledAccess[][] = regions.map(() => [])
      for (const a of accesses) {
        accessesByRegion[a.region].push(a)
        // Precompute the normaliser and hot/window sizes for the whole region.
        accessCache(a, regions[a.region].basePages)
      }
      const startS = t
      t += ph.durationS
      return {
        startS,
        endS: phi === p.phases.length - 1 ? Infinity : t,
        accesses,
        accessesByRegion,
      }
    })
    return {
      index,
      id: p.id,
      initiator: p.initiator,
      threads: p.threads,
      computeNsPerOp: p.computeNsPerOp,
      accessesPerOp: p.accessesPerOp,
      mlp: p.mlp,
      writeFraction: p.writeFraction,
      phases,
    }
  })

  const layout = {
    rankOfBlock: runArray(Uint32Array, blockStart, 'any'),
    frameWalk: pagesPerFrame > 1 && withLayout ? runArray(Uint32Array, totalFrames, 'any') : null,
  }
  // One stream per region, keyed by its id: adding a region or a telemetry source elsewhere
  // leaves every other region's permutation unchanged.
  const layoutRng = new Rng(seed).fork('workload-layout')
  const scratch = runArray(
    Uint32Array,
    regions.reduce((m, r) => Math.max(m, r.fullBlocks), 0),
    'any',
  )
  for (const r of regions) layOutRegion(layout, r, layoutRng, scratch)
  giveBackRunArray(scratch)

  return { regions, processes, totalFrames, pageBytes, ...layout, blockOfRank: null }
}

/** The phase a process is in at tS (phases are few; a linear walk beats a search). */
export function phaseIndexAt(p: CompiledProcess, tS: number): number {
  const phases = p.phases
  for (let i = 0; i < phases.length - 1; i++) if (tS < phases[i].endS) return i
  return phases.length - 1
}

/** The region holding a frame: binary search over the (few) regions' starts. */
export function regionOfFrame(w: CompiledWorkload, frame: number): number {
  const regions = w.regions
  let lo = 0
  let hi = regions.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (regions[mid].frameStart <= frame) lo = mid
    else hi = mid - 1
  }
  return lo
}

/**
 * Probability that one access of `process` at tS hits `frame`: Σ over the phase's accesses on the
 * frame's region of share × the frame's base pages' mass. Sums to 1 over all frames.
 */
export function frameProbability(
  w: CompiledWorkload,
  process: number,
  frame: number,
  tS: number,
): number {
  const proc = w.processes[process]
  const phase = proc.phases[phaseIndexAt(proc, tS)]
  const list = phase.accessesByRegion[regionOfFrame(w, frame)]
  let p = 0
  for (const a of list) p += a.share * frameMass(w, a, frame, tS)
  return p
}

/** One exact-mode draw of an access, as the frame holding the drawn base page. */
export function sampleFrame(
  w: CompiledWorkload,
  access: CompiledAccess,
  rng: Rng,
  tS: number,
): number {
  return frameOfBasePage(w.regions[access.region], sampleBasePage(w, access, rng, tS))
}

/**
 * Bulk form of frameProbability: adds scale × P(frame) for every frame the process touches at tS
 * into `out` (indexed by frame, length ≥ totalFrames).
 */
export function addFrameProbabilities(
  w: CompiledWorkload,
  process: number,
  tS: number,
  out: Float64Array | Float32Array,
  scale = 1,
): void {
  const proc = w.processes[process]
  const phase = proc.phases[phaseIndexAt(proc, tS)]
  for (const a of phase.accesses) {
    const region = w.regions[a.region]
    const k = scale * a.share
    if (k === 0) continue
    const end = region.frameStart + region.frameCount
    for (let f = region.frameStart; f < end; f++) out[f] += k * frameMass(w, a, f, tS)
  }
}
