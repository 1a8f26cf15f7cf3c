import { frameBaseMasses } from '../workload'
import type { Rng } from '../rng'
import type { SimCore } from './core'

/**
 * What happens inside a frame at 4 KiB granularity: each base page's access rate, how skewed they
 * are, and which base page an access to the frame hit. Hotness is defined per base page
 * (workload/base-pages.ts), so a 2 MiB frame can hold a few hot base pages among cold ones — what
 * a huge-page split (Memtis) looks for.
 */

/**
 * Access rate of each base page of `frame`, accesses/s, address order, into `out` (length ≥ the
 * frame's base pages; the rest are zeroed). Returns the number of base pages. Sums to the frame's
 * access rate (truth.frameAccessRate) up to the weights' float32 rounding.
 */
export function frameBaseRates(core: SimCore, frame: number, out: Float64Array): number {
  const region = core.regionOf(frame)
  const P = core.w.regions[region].pagesPerFrame
  const scratch = new Float64Array(P)
  out.fill(0, 0, P)
  let count = 0
  for (const p of core.procsOfRegion[region]) {
    const scale = core.refRate[p] * core.allRateScale
    for (const a of core.w.processes[p].phases[core.procPhase[p]].accessesByRegion[region]) {
      count = frameBaseMasses(core.w, a, frame, core.nowS, scratch)
      for (let i = 0; i < count; i++) out[i] += scale * a.share * scratch[i]
    }
  }
  return count || Math.min(P, core.w.regions[region].basePages)
}

/**
 * Skew of a frame's base pages: the hottest base page's rate over their mean, from 1 (even, or
 * untouched) to the number of base pages (every access on one). Always 1 at 4 KiB.
 */
export function frameBaseSkew(core: SimCore, frame: number): number {
  const region = core.w.regions[core.regionOf(frame)]
  if (region.pagesPerFrame === 1) return 1
  const rates = new Float64Array(region.pagesPerFrame)
  const n = frameBaseRates(core, frame, rates)
  let max = 0
  let sum = 0
  for (let i = 0; i < n; i++) {
    sum += rates[i]
    if (rates[i] > max) max = rates[i]
  }
  return sum > 0 ? (max * n) / sum : 1
}

/**
 * Which base page of `frame` an access of process p hit, drawn by the base pages' rates (exact
 * mode's samples carry it like a PEBS record's address). 0 at 4 KiB, without a draw.
 */
export function drawBasePage(core: SimCore, p: number, frame: number, rng: Rng): number {
  const region = core.regionOf(frame)
  const P = core.w.regions[region].pagesPerFrame
  if (P === 1) return 0
  const masses = new Float64Array(P)
  const scratch = new Float64Array(P)
  let n = 0
  for (const a of core.w.processes[p].phases[core.procPhase[p]].accessesByRegion[region]) {
    n = frameBaseMasses(core.w, a, frame, core.nowS, scratch)
    for (let i = 0; i < n; i++) masses[i] += a.share * scratch[i]
  }
  let total = 0
  for (let i = 0; i < n; i++) total += masses[i]
  let u = rng.next() * total
  for (let i = 0; i < n; i++) if ((u -= masses[i]) < 0) return i
  return Math.max(0, n - 1)
}
