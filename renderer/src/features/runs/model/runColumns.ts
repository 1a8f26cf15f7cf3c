import type { RunRecord } from '../../../../../shared/runs'
import { formatIsoMinute, formatWallMs } from '../../../lib/format'
import { formatMetric } from '../../../lib/metrics'

/** The sortable columns of the archive table, in display order: results next to the policy. */
export const RUN_COLUMNS = [
  'name',
  'policy',
  'status',
  'throughput',
  'hitRatio',
  'topology',
  'workload',
  'created',
  'duration',
] as const
export type RunColumn = (typeof RUN_COLUMNS)[number]

export const COLUMN_TITLES: Record<RunColumn, string> = {
  name: 'Name',
  policy: 'Policy',
  topology: 'Topology',
  workload: 'Workload',
  status: 'Status',
  created: 'Created (UTC)',
  duration: 'Wall time',
  throughput: 'Throughput (ops/s)',
  hitRatio: 'Top-tier hit ratio',
}

/** The value a column sorts by: strings compare as text, numbers numerically; null sorts last. */
export function columnValue(run: RunRecord, column: RunColumn): string | number | null {
  switch (column) {
    case 'name':
      return run.name
    case 'policy':
      return run.policyId
    case 'topology':
      return run.topologyName
    case 'workload':
      return run.workloadName
    case 'status':
      return run.status
    case 'created':
      return run.createdAt
    case 'duration':
      return run.wallMs
    case 'throughput':
      return run.summary?.throughputOpsPerS ?? null
    case 'hitRatio':
      return run.summary?.topTierHitRatio ?? null
  }
}

/** The text a column shows: its sort value, with times, durations and metrics formatted. */
export function cellText(run: RunRecord, column: RunColumn): string {
  switch (column) {
    case 'created':
      return formatIsoMinute(run.createdAt)
    case 'duration':
      return formatWallMs(run.wallMs)
    case 'throughput':
      return formatMetric(run.summary?.throughputOpsPerS, '')
    case 'hitRatio':
      return formatMetric(run.summary?.topTierHitRatio, 'ratio')
    default:
      return String(columnValue(run, column))
  }
}

/** Columns whose values are numbers (right-aligned, default descending). */
export function isNumericColumn(column: RunColumn): boolean {
  return column === 'duration' || column === 'throughput' || column === 'hitRatio'
}
