import type { Memory } from '../../../shared/formats/topology'

/**
 * Loaded latency: a piecewise-linear latency factor (× idle latency) against utilisation of peak
 * bandwidth. The default is the measured Ice Lake 2S curve of tiering-facts.md §7 [ICX]:
 * 91 ns @ 2.9 GB/s → 110 @ 174 → 154 @ 297 → 264 ns @ 352 GB/s, normalised to 91 ns and 352 GB/s.
 * It is used for every memory kind unless the topology gives `memory.loadedLatency`.
 */
const ICX_PEAK_GBPS = 352
const ICX_IDLE_NS = 91
const ICX_POINTS: Array<[number, number]> = [
  [2.9, 91],
  [174, 110],
  [297, 154],
  [352, 264],
]

export interface LatencyCurve {
  utilisation: Float64Array
  factor: Float64Array
  /** Factor added per unit of utilisation past the last point: a saturated queue keeps growing. */
  overloadSlope: number
}

/**
 * Past the last measured point the memory cannot deliver more: with a fixed number of requests in
 * flight (threads × MLP), throughput stays at the peak and Little's law sets the latency. A steep
 * slope (1000× per unit of over-utilisation) does that: a 10× over-subscribed memory settles
 * within 3 % above its peak. The closed-loop solver (closed-loop.ts) brackets its roots, so the
 * steepness costs no convergence (a damped iteration needed a gentle 20× and overshot the peak by
 * up to 20 %).
 */
const OVERLOAD_SLOPE = 1000

export function defaultLatencyCurve(): LatencyCurve {
  const u = [0, ...ICX_POINTS.map(([gbps]) => gbps / ICX_PEAK_GBPS)]
  const f = [1, ...ICX_POINTS.map(([, ns]) => ns / ICX_IDLE_NS)]
  return {
    utilisation: Float64Array.from(u),
    factor: Float64Array.from(f),
    overloadSlope: OVERLOAD_SLOPE,
  }
}

export function latencyCurveOf(memory: Memory | undefined): LatencyCurve {
  if (!memory?.loadedLatency) return defaultLatencyCurve()
  const pts = [...memory.loadedLatency].sort((a, b) => a.utilisation - b.utilisation)
  if (pts[0].utilisation > 0) pts.unshift({ utilisation: 0, latencyFactor: pts[0].latencyFactor })
  return {
    utilisation: Float64Array.from(pts.map((p) => p.utilisation)),
    factor: Float64Array.from(pts.map((p) => p.latencyFactor)),
    overloadSlope: OVERLOAD_SLOPE,
  }
}

/** Latency factor (≥ 1) at a utilisation (0 = idle, 1 = peak bandwidth). */
export function latencyFactorAt(curve: LatencyCurve, utilisation: number): number {
  const u = curve.utilisation
  const f = curve.factor
  const n = u.length
  if (utilisation <= u[0]) return f[0]
  if (utilisation >= u[n - 1]) return f[n - 1] + (utilisation - u[n - 1]) * curve.overloadSlope
  let i = 1
  while (u[i] < utilisation) i++
  const t = (utilisation - u[i - 1]) / (u[i] - u[i - 1])
  return f[i - 1] + t * (f[i] - f[i - 1])
}

/** d factor / d utilisation at a utilisation: the slope of the segment it lies on (right side). */
export function latencyFactorSlopeAt(curve: LatencyCurve, utilisation: number): number {
  const u = curve.utilisation
  const f = curve.factor
  const n = u.length
  if (utilisation < u[0]) return 0
  if (utilisation >= u[n - 1]) return curve.overloadSlope
  let i = 1
  while (u[i] <= utilisation) i++
  return (f[i] - f[i - 1]) / (u[i] - u[i - 1])
}
