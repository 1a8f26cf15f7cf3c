import type { Pattern, Trace, Workload } from '../../../shared/formats/workload'
import { gibToBytes } from '../../../shared/units'
import { Rng } from '../rng'
import { accessCache, rankProbability, sampleRank, traceError, windowFramesAt } from './patterns'
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
 * (rank 0 is the same frame for both). A region is laid out 'shuffled' when some zipf or hotset
 * access on it asks for the (default) shuffled layout, 'sequential' otherwise; zipf/hotset
 * accesses that disagree on the layout of one region are an error.
 *
 * Memory: rankOfFrame and frameOfRank (4 bytes each per frame) are the only per-frame arrays.
 */

/** 2^26 frames = 256 GiB at 4 KiB: 64 B/frame of engine state then needs 4 GiB. */
export const MAX_FRAMES = 1 << 26

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
    cache: { frameCount: -1, zipfNorm: 0, hotFrames: 0, sampler: null },
    scanCursor: 0,
  }
}

/** Which layouts the skewed (zipf, hotset) accesses of each region ask for. */
function wantedLayouts(w: Workload): Array<Set<'sequential' | 'shuffled'>> {
  const regionIndex = new Map(w.regions.map((r, i) => [r.id, i]))
  const wanted: Array<Set<'sequential' | 'shuffled'>> = w.regions.map(() => new Set())
  for (const p of w.processes)
    for (const ph of p.phases)
      for (const a of ph.accesses) {
        const ri = regionIndex.get(a.region)
        if (ri === undefined) continue
        if (a.pattern.kind === 'zipf' || a.pattern.kind === 'hotset')
          wanted[ri].add(a.pattern.layout ?? 'shuffled')
      }
  return wanted
}

/**
 * Everything compileWorkload would refuse, checked without building anything (no per-frame
 * array, no layout shuffle), so a host can refuse an experiment before it is archived. Returns
 * the workload's frame count.
 */
export function checkWorkloadShape(w: Workload, pageBytes: number): { totalFrames: number } {
  if (!Number.isInteger(pageBytes) || pageBytes < 512)
    throw new RangeError(
      `pageBytes must be a whole number of bytes ≥ 512 (4096 or 2097152), got ${pageBytes}`,
    )
  const wanted = wantedLayouts(w)
  let totalFrames = 0
  w.regions.forEach((r, index) => {
    if (wanted[index].size > 1)
      throw new Error(
        `region "${r.id}": its zipf/hotset accesses ask for both the sequential and the shuffled layout; the hot pages are shared per region, so give them the same layout`,
      )
    totalFrames += Math.max(1, Math.ceil(gibToBytes(r.sizeGiB) / pageBytes))
  })
  if (totalFrames > MAX_FRAMES)
    throw new RangeError(
      `the workload needs ${totalFrames} frames of ${pageBytes} bytes, more than the engine's ${MAX_FRAMES}; use 2 MiB pages or smaller regions`,
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

export function compileWorkload(w: Workload, pageBytes: number, seed: number): CompiledWorkload {
  checkWorkloadShape(w, pageBytes)
  const processIndex = new Map(w.processes.map((p, i) => [p.id, i]))
  const regionIndex = new Map(w.regions.map((r, i) => [r.id, i]))
  const wanted = wantedLayouts(w)

  let frameStart = 0
  const regions: CompiledRegion[] = w.regions.map((r, index) => {
    const bytes = gibToBytes(r.sizeGiB)
    const frameCount = Math.max(1, Math.ceil(bytes / pageBytes))
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
      layout: wanted[index].has('shuffled') ? 'shuffled' : 'sequential',
      writeFraction: r.writeFraction ?? null,
    }
    frameStart += frameCount
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
      compiledTraces.set(key, compileTrace(t, regions[region].frameCount, pageBytes))
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
        accessCache(a, regions[a.region].frameCount)
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

  const rankOfFrame = new Uint32Array(totalFrames)
  const frameOfRank = new Uint32Array(totalFrames)
  // One stream per region, keyed by its id: adding a region or a telemetry source elsewhere
  // leaves every other region's permutation unchanged.
  const layoutRng = new Rng(seed).fork('workload-layout')
  for (const r of regions) {
    const perm = frameOfRank.subarray(r.frameStart, r.frameStart + r.frameCount)
    for (let i = 0; i < r.frameCount; i++) perm[i] = i
    if (r.layout === 'shuffled') layoutRng.fork(`region:${r.id}`).shuffleInPlace(perm)
    for (let rank = 0; rank < r.frameCount; rank++) rankOfFrame[r.frameStart + perm[rank]] = rank
  }

  return { regions, processes, totalFrames, pageBytes, rankOfFrame, frameOfRank }
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

/** A frame's position in an access's order: its hotness rank, or its address offset. */
export function positionOfFrame(
  w: CompiledWorkload,
  access: CompiledAccess,
  frame: number,
): number {
  return access.order === 'rank'
    ? w.rankOfFrame[frame]
    : frame - w.regions[access.region].frameStart
}

/** The frame at a position of an access's order (inverse of positionOfFrame). */
export function frameOfPosition(w: CompiledWorkload, access: CompiledAccess, pos: number): number {
  const start = w.regions[access.region].frameStart
  return access.order === 'rank' ? start + w.frameOfRank[start + pos] : start + pos
}

/**
 * Probability that one access of `process` at tS hits `frame`: Σ over the phase's accesses on the
 * frame's region of share × rankProbability. Sums to 1 over all frames.
 */
export function frameProbability(
  w: CompiledWorkload,
  process: number,
  frame: number,
  tS: number,
): number {
  const proc = w.processes[process]
  const phase = proc.phases[phaseIndexAt(proc, tS)]
  const ri = regionOfFrame(w, frame)
  const list = phase.accessesByRegion[ri]
  if (list.length === 0) return 0
  const n = w.regions[ri].frameCount
  let p = 0
  for (const a of list) p += a.share * rankProbability(a, positionOfFrame(w, a, frame), n, tS)
  return p
}

/** One exact-mode draw of an access, as a frame index (sampleRank mapped through the layout). */
export function sampleFrame(
  w: CompiledWorkload,
  access: CompiledAccess,
  rng: Rng,
  tS: number,
): number {
  return frameOfPosition(
    w,
    access,
    sampleRank(access, w.regions[access.region].frameCount, rng, tS),
  )
}

/**
 * Bulk form of frameProbability for phase changes: adds scale × P(frame) for every frame the
 * process touches at tS into `out` (indexed by frame, length ≥ totalFrames). One tight loop per
 * access, O(frames of the touched regions); the per-frame call costs several times more.
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
    const n = region.frameCount
    const start = region.frameStart
    const k = scale * a.share
    if (k === 0) continue
    const p = a.pattern
    // Walk frames in address order (reading their rank) so reads and writes stay sequential.
    const rank = w.rankOfFrame
    const end = start + n
    if (p.kind === 'zipf' && p.s !== 0) {
      const c = accessCache(a, n)
      const f = k / c.zipfNorm
      const s = p.s
      for (let i = start; i < end; i++) out[i] += f * Math.pow(rank[i] + 1, -s)
    } else if (p.kind === 'hotset') {
      const hot = accessCache(a, n).hotFrames
      if (hot >= n) {
        for (let i = 0; i < n; i++) out[start + i] += k / n
      } else {
        const hotP = (k * p.hotProbability) / hot
        const coldP = (k * (1 - p.hotProbability)) / (n - hot)
        for (let i = start; i < end; i++) out[i] += rank[i] < hot ? hotP : coldP
      }
    } else if (p.kind === 'trace' && a.trace) {
      const t = a.trace
      const total = t.prefix[n - 1]
      for (let i = 0; i < n; i++)
        out[start + i] += total > 0 ? (k * t.frameWeights[i]) / total : k / n
    } else if (p.kind === 'moving-window') {
      const base = (k * (1 - p.windowProbability)) / n
      for (let i = 0; i < n; i++) out[start + i] += base
      const { start: ws, width } = windowFramesAt(a, n, tS)
      const extra = (k * p.windowProbability) / width
      for (let i = 0; i < width; i++) out[start + ((ws + i) % n)] += extra
    } else {
      // uniform, scan, zipf with s = 0
      for (let i = 0; i < n; i++) out[start + i] += k / n
    }
  }
}
