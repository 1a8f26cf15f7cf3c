import type { RunRecord, SweepValue } from '../../../../../shared/runs'
import { groupMetric, type MeanCi } from '../../../../../shared/stats'

/** One grid point of a sweep for one metric: mean ± 95 % CI over its done replicates. */
export interface SweepPoint {
  /** The point's knob values, in the sweep's knob order. */
  values: SweepValue[]
  ci: MeanCi | null
  /** Every run of the point (done or not), so a click can open them. */
  runIds: number[]
}

const label = (v: SweepValue) => (typeof v === 'string' ? v : String(v))

/** Axis order of a knob's values: numbers ascending, anything else in first-seen order. */
export function axisValues(runs: readonly RunRecord[], knob: string): SweepValue[] {
  const seen: SweepValue[] = []
  for (const r of runs) {
    const v = r.sweepPoint?.[knob]
    if (v !== undefined && !seen.includes(v)) seen.push(v)
  }
  return seen.every((v) => typeof v === 'number')
    ? [...(seen as number[])].sort((a, b) => a - b)
    : seen
}

/** Summary metrics any done run of the sweep has, in first-seen order. */
export function sweepMetrics(runs: readonly RunRecord[]): string[] {
  const keys = new Set<string>()
  for (const r of runs)
    if (r.status === 'done') for (const k of Object.keys(r.summary ?? {})) keys.add(k)
  return [...keys]
}

/** The sweep's points for `metric`, one per distinct combination of the knobs' values. */
export function sweepPoints(
  runs: readonly RunRecord[],
  knobs: readonly string[],
  metric: string,
): SweepPoint[] {
  const groups = new Map<string, { values: SweepValue[]; runs: RunRecord[] }>()
  for (const r of runs) {
    if (!r.sweepPoint) continue
    const values = knobs.map((k) => r.sweepPoint![k])
    if (values.some((v) => v === undefined)) continue
    const key = JSON.stringify(values)
    const group = groups.get(key) ?? { values, runs: [] }
    group.runs.push(r)
    groups.set(key, group)
  }
  return [...groups.values()].map((g) => ({
    values: g.values,
    ci: groupMetric(
      g.runs.filter((r) => r.status === 'done'),
      metric,
    ),
    runIds: g.runs.map((r) => r.id).sort((a, b) => a - b),
  }))
}

/** One knob: points along its axis (line + band). */
export function lineSeries(runs: readonly RunRecord[], knob: string, metric: string) {
  const axis = axisValues(runs, knob)
  const points = sweepPoints(runs, [knob], metric)
  const at = (v: SweepValue) => points.find((p) => p.values[0] === v) ?? null
  return {
    categories: axis.map(label),
    points: axis.map(at),
  }
}

/** Two knobs: a grid of cells (heatmap); x is the first knob, y the second. */
export function heatmapCells(
  runs: readonly RunRecord[],
  knobs: readonly [string, string],
  metric: string,
) {
  const xs = axisValues(runs, knobs[0])
  const ys = axisValues(runs, knobs[1])
  const cells = sweepPoints(runs, knobs, metric)
    .filter((p) => p.ci !== null)
    .map((p) => ({
      x: xs.indexOf(p.values[0]),
      y: ys.indexOf(p.values[1]),
      point: p,
    }))
  return { xCategories: xs.map(label), yCategories: ys.map(label), cells }
}
