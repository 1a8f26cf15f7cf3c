import {
  HEADLINE_METRICS,
  SUMMARY_METRICS,
  summaryMetricInfo,
  type MetricInfo,
} from '../../../shared/metrics/catalogue'
import type { RunSummaryMetrics } from '../../../shared/runs'
import { formatBytes } from '../../../shared/units'

/** What a missing metric prints as: a run archived before the engine computed it. */
export const MISSING = '—'

/** Six significant digits, or the missing mark. */
export function formatNumber(v: number | null | undefined, digits = 6): string {
  return v === undefined || v === null || !Number.isFinite(v)
    ? MISSING
    : String(Number(v.toPrecision(digits)))
}

/** A catalogue unit as a table column prints it: counts and ratios need none. */
export function unitText(unit: string): string {
  return unit === 'count' || unit === 'ratio' ? '' : unit
}

/** "throughput (ops/s)" for a column header. */
export function columnTitle(info: MetricInfo): string {
  const unit = unitText(info.unit)
  return unit ? `${info.label.toLowerCase()} (${unit})` : info.label.toLowerCase()
}

/**
 * The summary as [label, value, unit] rows, in the catalogue's order: the headline first, then
 * every other catalogue metric (missing ones, of runs archived by an older engine, as "—"), then
 * any metric the catalogue does not know under its own name.
 */
export function summaryRows(summary: RunSummaryMetrics): string[][] {
  const known = Object.keys(SUMMARY_METRICS)
  const order = [
    ...HEADLINE_METRICS,
    ...known.filter((k) => !HEADLINE_METRICS.includes(k as never)),
  ]
  const extra = Object.keys(summary).filter((k) => !known.includes(k))
  return [...order, ...extra].map((key) => {
    const info = summaryMetricInfo(key)
    const v = summary[key]
    // Byte counts read better binary-scaled (358.0 MiB) than as nine digits.
    if (info.unit === 'B' && v !== undefined && Number.isFinite(v))
      return [info.label, formatBytes(v), '']
    return [info.label, formatNumber(v), unitText(info.unit)]
  })
}
