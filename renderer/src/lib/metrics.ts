import { formatBytes } from '../../../shared/units'

/** Which way a metric is better, so deltas can be coloured. */
export type MetricDirection = 'higher' | 'lower' | 'neutral'

export interface MetricInfo {
  key: string
  label: string
  unit: string
  direction: MetricDirection
}

// Names the engine gives its summary metrics (main/engine/metrics/run-metrics.ts); others are
// labelled from their camelCase key, so new metrics show up without a change here.
const LABELS: Record<string, string> = {
  throughputOpsPerS: 'Throughput',
  meanLatencyNs: 'Mean latency',
  topTierHitRatio: 'Top-tier hit ratio',
  hotInTopTierShare: 'Hottest frames in top tier',
  promotedBytes: 'Promoted',
  demotedBytes: 'Demoted',
  migratedBytes: 'Migrated',
  hintFaults: 'NUMA hint faults',
  pingPongs: 'Ping-pongs',
  p50LatencyNs: 'p50 latency',
  p99LatencyNs: 'p99 latency',
  policyCpuS: 'Policy CPU time',
  slowdownVsAllFast: 'Slowdown vs all-fast memory',
  failedMigrations: 'Failed migrations',
  simulatedS: 'Simulated time',
}

/** The unit a key names by its suffix (every quantity carries its unit in its name). */
export function unitOfKey(key: string): string {
  if (/Ns$/.test(key)) return 'ns'
  if (/BytesPerS$/.test(key)) return 'B/s'
  if (/Bytes$/.test(key)) return 'B'
  if (/OpsPerS$/.test(key)) return 'ops/s'
  if (/PerS$/.test(key)) return '/s'
  if (/(Ratio|Share)$/.test(key)) return 'ratio'
  if (/^slowdown/.test(key)) return '×'
  if (/S$/.test(key)) return 's'
  return ''
}

/** Better-when direction inferred from the metric's name. */
export function directionOfKey(key: string): MetricDirection {
  const k = key.toLowerCase()
  if (/throughput|hitratio|hotintoptier/.test(k)) return 'higher'
  if (/latency|slowdown|pingpong|failed|cpu|hintfault/.test(k)) return 'lower'
  return 'neutral'
}

function humanise(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export function metricInfo(key: string): MetricInfo {
  return {
    key,
    label: LABELS[key] ?? humanise(key),
    unit: unitOfKey(key),
    direction: directionOfKey(key),
  }
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 })
const ratio = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 })
const plain = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 })

/** A value in its unit, short enough for a table cell: 1.23M ops/s, 0.914, 1.2 GiB, 182 ns. */
export function formatMetric(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  if (unit === 'B') return formatBytes(value)
  if (unit === 'B/s') return `${formatBytes(value)}/s`
  if (unit === 'ratio') return ratio.format(value)
  if (unit === '×') return `${plain.format(value)}×`
  const n = Math.abs(value) >= 10_000 ? compact.format(value) : plain.format(value)
  return unit ? `${n} ${unit}` : n
}
