import { PROCESS_SERIES, summaryMetricInfo } from '../../../shared/metrics/catalogue'
import { PROCESS_METRIC } from '../../services/studies'
import { formatBytes } from '../../../shared/units'
import { formatNumber, unitText } from '../format/metrics'

/** Label and unit of a study metric: a summary key, or `process.<id>.<kind>`. */
export function studyMetricInfo(key: string): { label: string; unit: string } {
  const m = PROCESS_METRIC.exec(key)
  if (m) {
    const spec = PROCESS_SERIES[m[2] as keyof typeof PROCESS_SERIES]
    return { label: `${m[1]}: ${spec.label}`, unit: spec.unit }
  }
  const info = summaryMetricInfo(key)
  return { label: info.label, unit: info.unit }
}

/** "Throughput (ops/s)", "Top-tier hit ratio": a table header or chart title. */
export function metricTitle(key: string): string {
  const { label, unit } = studyMetricInfo(key)
  const u = unitText(unit)
  return u ? `${label} (${u})` : label
}

/** A value as the report prints it: bytes binary-scaled, everything else to four digits. */
export function formatMetric(key: string, v: number | null): string {
  if (v === null) return '—'
  if (studyMetricInfo(key).unit === 'B') return formatBytes(v)
  return formatNumber(v, 4)
}
