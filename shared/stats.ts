/**
 * Replicate statistics shared by the CLI, the run details, Compare and the sweep view, so every
 * surface shows the same mean ± 95 % confidence interval (DESIGN.md §6: runs of one experiment with
 * several seeds form a group).
 *
 * The interval is Student's t: mean ± t(0.975, n − 1) · s / √n. Seeds are independent draws of the
 * same simulated system, so the per-run summaries are i.i.d. samples; n is small (3–10 seeds),
 * which is exactly where the t quantile, not 1.96, matters (t(0.975, 2) = 4.30).
 */

/** Two-sided 95 % quantiles t(0.975, df) for df = 1..30 (standard tables, 4 decimals). */
const T975_SMALL = [
  12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788,
  2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639,
  2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
]
/** Larger df: table points, interpolated linearly in 1/df (the usual, accurate to ~1e-3). */
const T975_LARGE: ReadonlyArray<readonly [number, number]> = [
  [30, 2.0423],
  [40, 2.0211],
  [60, 2.0003],
  [120, 1.9799],
  [Infinity, 1.96],
]

/**
 * t(0.975, df). A fractional df below 30 (Welch's) is rounded down, which widens the interval a
 * little: conservative, never falsely "significant".
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) throw new RangeError(`t quantile needs df ≥ 1, got ${df}`)
  if (df < 30) return T975_SMALL[Math.floor(df) - 1]
  for (let i = 1; i < T975_LARGE.length; i++) {
    const [d1, t1] = T975_LARGE[i]
    if (df <= d1) {
      const [d0, t0] = T975_LARGE[i - 1]
      const x = 1 / df
      const x0 = 1 / d0
      const x1 = d1 === Infinity ? 0 : 1 / d1
      return t0 + ((t1 - t0) * (x - x0)) / (x1 - x0)
    }
  }
  return 1.96
}

/** A group's mean with its 95 % interval; `halfWidth` is null for a single run (no spread). */
export interface MeanCi {
  n: number
  mean: number
  /** Sample standard deviation (n − 1); 0 for one value. */
  sd: number
  halfWidth: number | null
  low: number
  high: number
}

export function meanCi(values: readonly number[]): MeanCi | null {
  const xs = values.filter(Number.isFinite)
  const n = xs.length
  if (n === 0) return null
  const mean = xs.reduce((s, x) => s + x, 0) / n
  if (n === 1) return { n, mean, sd: 0, halfWidth: null, low: mean, high: mean }
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1))
  const halfWidth = (tQuantile975(n - 1) * sd) / Math.sqrt(n)
  return { n, mean, sd, halfWidth, low: mean - halfWidth, high: mean + halfWidth }
}

/** `1234 ± 56 (n=5)`; `fmt` formats both numbers (the caller's units and precision). */
export function formatMeanCi(ci: MeanCi | null, fmt: (v: number) => string = String): string {
  if (!ci) return '—'
  if (ci.halfWidth === null) return fmt(ci.mean)
  return `${fmt(ci.mean)} ± ${fmt(ci.halfWidth)} (n=${ci.n})`
}

/** The difference of two group means with its Welch 95 % interval. */
export interface MeanDifference {
  /** b.mean − a.mean. */
  difference: number
  /** Null when either group has one run: the noise is unknown. */
  halfWidth: number | null
  /** True when the interval contains 0: the data cannot tell the two apart. */
  withinNoise: boolean
}

/**
 * Welch's unequal-variance interval for mean(b) − mean(a): policies differ in their spread across
 * seeds, so the pooled-variance t test would be wrong here.
 */
export function compareMeans(a: MeanCi, b: MeanCi): MeanDifference {
  const difference = b.mean - a.mean
  if (a.n < 2 || b.n < 2) return { difference, halfWidth: null, withinNoise: false }
  const va = (a.sd * a.sd) / a.n
  const vb = (b.sd * b.sd) / b.n
  const se = Math.sqrt(va + vb)
  if (se === 0) return { difference, halfWidth: 0, withinNoise: difference === 0 }
  // Welch–Satterthwaite degrees of freedom.
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1))
  const halfWidth = tQuantile975(Math.max(1, df)) * se
  return { difference, halfWidth, withinNoise: Math.abs(difference) <= halfWidth }
}

/** What grouping needs of a run: its group key (same experiment and engine, any seed). */
export interface Groupable {
  id: number
  groupKey: string | null
}

/**
 * Runs grouped by `groupKey`, in the order each group's first run appears; a run without a key is
 * a group of its own.
 */
export function groupRuns<T extends Groupable>(runs: readonly T[]): T[][] {
  const groups = new Map<string, T[]>()
  for (const run of runs) {
    const key = run.groupKey ?? `run:${run.id}`
    const list = groups.get(key)
    if (list) list.push(run)
    else groups.set(key, [run])
  }
  return [...groups.values()]
}

/** Mean ± CI of one summary metric over a group's runs that have it. */
export function groupMetric(
  runs: ReadonlyArray<{ summary: Record<string, number> | null }>,
  key: string,
): MeanCi | null {
  const values: number[] = []
  for (const r of runs) {
    const v = r.summary?.[key]
    if (typeof v === 'number') values.push(v)
  }
  return meanCi(values)
}

/**
 * Pointwise mean and 95 % band of several series sampled on their own time axes: each is read on
 * the first series' times (previous sample held), which is exact for replicates of one experiment
 * (same epochs, same sampling).
 */
export function seriesBand(
  series: ReadonlyArray<{ t: readonly number[]; values: readonly number[] }>,
): { t: number[]; mean: number[]; low: number[]; high: number[] } {
  if (series.length === 0) return { t: [], mean: [], low: [], high: [] }
  const t = [...series[0].t]
  const cursors = series.map(() => 0)
  const mean: number[] = []
  const low: number[] = []
  const high: number[] = []
  for (const time of t) {
    const at: number[] = []
    series.forEach((s, i) => {
      while (cursors[i] + 1 < s.t.length && s.t[cursors[i] + 1] <= time) cursors[i]++
      if (s.t.length > 0 && s.t[cursors[i]] <= time) at.push(s.values[cursors[i]])
    })
    const ci = meanCi(at)
    mean.push(ci?.mean ?? NaN)
    low.push(ci?.low ?? NaN)
    high.push(ci?.high ?? NaN)
  }
  return { t, mean, low, high }
}
