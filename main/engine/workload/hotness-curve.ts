import { cumulativeMass, accessCache } from './patterns'
import type { CompiledWorkload } from './types'

/**
 * The UI's hotness preview: the share of a phase's accesses that the hottest fraction x of the
 * memory it touches receives, counted in 4 KiB base pages (the same curve at every page size).
 *
 * Each touched region is cut into groups of consecutive positions (geometric steps for zipf, the
 * hot/window edge for hotset and moving-window); groups from all regions are sorted by density and
 * accumulated, interpolating linearly inside a group. With GEOMETRIC_STEPS steps per region the zipf error
 * stays below a percent. When several accesses with different orders (rank vs address) share a
 * region, their hottest positions are assumed to coincide, so the curve is an upper bound there.
 */

const GEOMETRIC_STEPS = 256

export function hotnessCurve(
  w: CompiledWorkload,
  process: number,
  phase: number,
  fractions: number[],
): number[] {
  const ph = w.processes[process].phases[phase]
  const groups: Array<{ count: number; mass: number; density: number }> = []
  let totalFrames = 0
  ph.accessesByRegion.forEach((list, ri) => {
    const active = list.filter((a) => a.share > 0)
    if (active.length === 0) return
    const n = w.regions[ri].basePages
    totalFrames += n
    const cuts = new Set<number>([0, n])
    for (const a of active) {
      const p = a.pattern
      // A trace's own order is hottest-first too (trace-pattern.ts), so cut it like zipf.
      if (p.kind === 'zipf' || p.kind === 'trace') {
        for (let i = 0; i <= GEOMETRIC_STEPS; i++)
          cuts.add(Math.min(n, Math.floor(Math.pow(n, i / GEOMETRIC_STEPS))))
      } else if (p.kind === 'hotset' || p.kind === 'moving-window') {
        cuts.add(accessCache(a, n).hotPositions)
      }
    }
    const sorted = [...cuts].sort((x, y) => x - y)
    for (let i = 1; i < sorted.length; i++) {
      const lo = sorted[i - 1]
      const hi = sorted[i]
      let mass = 0
      for (const a of active)
        mass += a.share * (cumulativeMass(a, hi, n) - cumulativeMass(a, lo, n))
      groups.push({ count: hi - lo, mass, density: mass / (hi - lo) })
    }
  })
  groups.sort((a, b) => b.density - a.density)
  return fractions.map((x) => {
    let want = Math.min(1, Math.max(0, x)) * totalFrames
    let covered = 0
    for (const g of groups) {
      if (want <= 0) break
      const take = Math.min(want, g.count)
      covered += g.density * take
      want -= take
    }
    return Math.min(1, covered)
  })
}
