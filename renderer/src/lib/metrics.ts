import {
  summaryMetricInfo,
  type MetricBetter,
  type MetricInfo,
} from '../../../shared/metrics/catalogue'
import { formatBytes } from '../../../shared/units'

export type { MetricInfo }
/** Which way a metric is better, so deltas can be coloured (from the metric catalogue). */
export type MetricDirection = MetricBetter

/** A summary metric's label, unit and better-direction, from shared/metrics/catalogue.ts. */
export function metricInfo(key: string): MetricInfo {
  return summaryMetricInfo(key)
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 })
const ratio = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 })
const plain = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 })

/**
 * A value in its catalogue unit, short enough for a table cell: 1.23M ops/s, 0.914, 1.2 GiB,
 * 182 ns. Missing values (a metric an older run lacks) are "—".
 */
export function formatMetric(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  if (unit === 'B') return formatBytes(value)
  if (unit === 'B/s') return `${formatBytes(value)}/s`
  if (unit === 'ratio') return ratio.format(value)
  if (unit === '×') return `${plain.format(value)}×`
  const n = Math.abs(value) >= 10_000 ? compact.format(value) : plain.format(value)
  return unit && unit !== 'count' ? `${n} ${unit}` : n
}
