import type { RunSummaryMetrics } from '../../../../../shared/runs'
import { SUMMARY_METRICS } from '../../../../../shared/metrics/catalogue'
import { metricInfo, type MetricInfo } from '../../../lib/metrics'

/** How a run's value compares with the baseline's, given the metric's direction. */
export type DeltaVerdict = 'better' | 'worse' | 'same' | 'neutral' | 'missing'

export interface DeltaCell {
  value: number | null
  /** value − baseline, in the metric's unit; null when either is missing. */
  absolute: number | null
  /** absolute ÷ |baseline| × 100; null when the baseline is 0 or missing. */
  percent: number | null
  verdict: DeltaVerdict
}

export interface DeltaRow extends MetricInfo {
  baseline: number | null
  /** One cell per run, in the order given (the baseline's own cell included). */
  cells: DeltaCell[]
}

/** Differences smaller than this share of the baseline count as equal (rounding noise). */
export const SAME_WITHIN_PERCENT = 0.5

export function deltaCell(
  value: number | null,
  baseline: number | null,
  direction: MetricInfo['better'],
): DeltaCell {
  if (value === null || baseline === null) {
    return { value, absolute: null, percent: null, verdict: 'missing' }
  }
  const absolute = value - baseline
  const percent = baseline !== 0 ? (absolute / Math.abs(baseline)) * 100 : null
  const same = percent !== null ? Math.abs(percent) < SAME_WITHIN_PERCENT : absolute === 0
  let verdict: DeltaVerdict
  if (same) verdict = 'same'
  else if (direction === 'neutral') verdict = 'neutral'
  else verdict = absolute > 0 === (direction === 'higher') ? 'better' : 'worse'
  return { value, absolute, percent, verdict }
}

/**
 * The summary table: one row per metric any run has, in the metric catalogue's order (metrics it
 * does not know after, in order of appearance), each run's value with its delta against the
 * baseline run at `baselineIndex`. A metric a run lacks (archived by an older engine) is missing
 * in that run's cell, never 0.
 */
export function summaryDeltas(
  summaries: ReadonlyArray<RunSummaryMetrics | null>,
  baselineIndex: number,
): DeltaRow[] {
  const base = summaries[baselineIndex] ?? null
  const present = new Set<string>(Object.keys(base ?? {}))
  for (const s of summaries) for (const k of Object.keys(s ?? {})) present.add(k)
  const catalogued = Object.keys(SUMMARY_METRICS).filter((k) => present.has(k))
  const others = [...present].filter((k) => !Object.hasOwn(SUMMARY_METRICS, k))
  return [...catalogued, ...others].map((key) => {
    const info = metricInfo(key)
    const baseline = base?.[key] ?? null
    return {
      ...info,
      baseline,
      cells: summaries.map((s) => deltaCell(s?.[key] ?? null, baseline, info.better)),
    }
  })
}

/** "+23.4 %" / "−5 %": a sign always, one decimal below 10 %. */
export function formatPercent(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return '—'
  const digits = Math.abs(percent) < 10 ? 1 : 0
  const rounded = Number(percent.toFixed(digits))
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±'
  return `${sign}${Math.abs(rounded).toFixed(digits)} %`
}
