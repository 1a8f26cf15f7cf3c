import type { SimCore } from './core'
import { F_PROT_NONE, UNALLOCATED } from './frames'
import { windowShift } from '../workload'

/**
 * Moving windows: base pages leaving the window lose windowProbability/width, entering ones gain
 * it, and each frame changes by its base pages' sum. O(frames the window passed). `onRateChange` lets telemetry redraw the pending faults of
 * frames whose rate changed.
 */
export function advanceWindows(
  core: SimCore,
  t0S: number,
  t1S: number,
  onRateChange: (f: number) => void,
): void {
  // Moves' pending mass transfers read the weights this changes: apply them first.
  core.applyPendingMoves()
  const fr = core.frames
  const N = core.N
  for (let p = 0; p < core.P; p++) {
    const phase = core.w.processes[p].phases[core.procPhase[p]]
    const ref = core.refRate[p]
    const isCpu = core.procIsCpu[p] === 1 && !fr.cpuWeightShared
    for (const a of phase.accesses) {
      if (a.pattern.kind !== 'moving-window') continue
      const region = core.w.regions[a.region]
      const n = region.basePages
      const P = region.pagesPerFrame
      const { leaving, entering } = windowShift(a, n, t0S, t1S)
      if (leaving.count === 0 && entering.count === 0) continue
      const width = Math.max(1, Math.min(n, Math.round(a.pattern.widthFraction * n)))
      const d = (a.share * a.pattern.windowProbability) / width
      const applyFrame = (f: number, delta: number) => {
        fr.weight[f] += delta * ref
        if (isCpu) fr.cpuWeight[f] += delta * ref
        if (fr.weight[f] < 0) fr.weight[f] = 0
        if (fr.cpuWeight[f] < 0) fr.cpuWeight[f] = 0
        const node = fr.node[f]
        if (node !== UNALLOCATED) core.mass[p * N + node] += delta
        if (fr.state[f] & F_PROT_NONE) onRateChange(f)
      }
      // Base pages [lo, hi) (no wrap): each frame they touch changes by d per page it holds.
      const applyLinear = (lo: number, hi: number, sign: number) => {
        for (let g = Math.floor(lo / P); g * P < hi; g++) {
          const pages = Math.min(hi, (g + 1) * P) - Math.max(lo, g * P)
          applyFrame(region.frameStart + g, sign * d * pages)
        }
      }
      const apply = (start: number, count: number, sign: number) => {
        if (count <= 0) return
        const first = Math.min(count, n - start)
        applyLinear(start, start + first, sign)
        if (count > first) applyLinear(0, count - first, sign)
      }
      apply(leaving.start, leaving.count, -1)
      apply(entering.start, entering.count, 1)
    }
  }
}
