import type { SimCore } from './core'
import { F_PROT_NONE, UNALLOCATED } from './frames'
import { windowShift } from '../workload'

/**
 * Moving windows: frames leaving the window lose windowProbability/width, entering ones gain
 * it. O(frames the window passed). `onRateChange` lets telemetry redraw the pending faults of
 * frames whose rate changed.
 */
export function advanceWindows(
  core: SimCore,
  t0S: number,
  t1S: number,
  onRateChange: (f: number) => void,
): void {
  const fr = core.frames
  const N = core.N
  for (let p = 0; p < core.P; p++) {
    const phase = core.w.processes[p].phases[core.procPhase[p]]
    const ref = core.refRate[p]
    const isCpu = core.procIsCpu[p] === 1 && !fr.cpuWeightShared
    for (const a of phase.accesses) {
      if (a.pattern.kind !== 'moving-window') continue
      const region = core.w.regions[a.region]
      const n = region.frameCount
      const { leaving, entering } = windowShift(a, n, t0S, t1S)
      if (leaving.count === 0 && entering.count === 0) continue
      const width = Math.max(1, Math.min(n, Math.round(a.pattern.widthFraction * n)))
      const d = (a.share * a.pattern.windowProbability) / width
      const apply = (start: number, count: number, sign: number) => {
        for (let k = 0; k < count; k++) {
          const f = region.frameStart + ((start + k) % n)
          fr.weight[f] += sign * d * ref
          if (isCpu) fr.cpuWeight[f] += sign * d * ref
          if (fr.weight[f] < 0) fr.weight[f] = 0
          if (fr.cpuWeight[f] < 0) fr.cpuWeight[f] = 0
          const node = fr.node[f]
          if (node !== UNALLOCATED) core.mass[p * N + node] += sign * d
          if (fr.state[f] & F_PROT_NONE) onRateChange(f)
        }
      }
      apply(leaving.start, leaving.count, -1)
      apply(entering.start, entering.count, 1)
    }
  }
}
