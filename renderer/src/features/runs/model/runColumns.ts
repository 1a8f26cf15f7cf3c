import type { RunRecord } from '../../../../../shared/runs'
import { formatIsoMinute, formatWallMs } from '../../../lib/format'
import { formatMetric, metricInfo } from '../../../lib/metrics'

/** The sortable columns of the archive table, in display order: results next to the policy. */
export const RUN_COLUMNS = [
  'name',
  'policy',
  'knobs',
  'status',
  'throughput',
  'hitRatio',
  'topology',
  'workload',
  'created',
  'duration',
  'tags',
] as const
export type RunColumn = (typeof RUN_COLUMNS)[number]

/** Header text: short enough to fit the default widths at 1440 px; COLUMN_HINTS says the rest. */
export const COLUMN_TITLES: Record<RunColumn, string> = {
  name: 'Name',
  policy: 'Policy',
  knobs: 'Knobs',
  topology: 'Topology',
  workload: 'Workload',
  status: 'Status',
  created: 'Created (UTC)',
  duration: 'Wall time',
  throughput: 'Ops/s',
  hitRatio: 'Hit ratio',
  tags: 'Tags',
}

/** What each column holds, in full: the header's hover text and the column chooser's. */
export const COLUMN_HINTS: Record<RunColumn, string> = {
  name: 'Run name (a sweep adds [knob=value])',
  policy: 'Placement policy id',
  knobs: 'The knob a sweep set on this run, and its value (the details list every knob)',
  topology: 'Topology name',
  workload: 'Workload name',
  status: 'Run status',
  created: 'When the run was queued (UTC)',
  duration: 'Wall-clock time the simulation took',
  throughput: 'Mean throughput over the run, operations per second (all processes)',
  hitRatio: 'Top-tier hit ratio: share of accesses served by top-tier memory',
  tags: 'Tags',
}

/** A sweep names its runs "<name> [<knob path>=<value>]" (main/services/runs/run-handlers.ts). */
const SWEPT = /\s\[([^=\s]+)=([^\]]*)\]$/

/**
 * The swept knob of a sweep run, as "name=value" (its last path segment), so two sweep runs never
 * look alike even when their names are cut off. The details pane lists every knob of a run.
 */
export function knobsText(run: RunRecord): string {
  const swept = SWEPT.exec(run.name)
  if (!swept) return ''
  const key =
    swept[1]
      .split(/[.[\]]/)
      .filter(Boolean)
      .pop() ?? swept[1]
  return `${key}=${swept[2]}`
}

/** The value a column sorts by: strings compare as text, numbers numerically; null sorts last. */
export function columnValue(run: RunRecord, column: RunColumn): string | number | null {
  switch (column) {
    case 'name':
      return run.name
    case 'policy':
      return run.policyId
    case 'knobs':
      return knobsText(run)
    case 'tags':
      return run.tags.join(', ')
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
      // The column title carries the unit.
      return formatMetric(run.summary?.throughputOpsPerS, 'count')
    case 'hitRatio':
      return formatMetric(run.summary?.topTierHitRatio, metricInfo('topTierHitRatio').unit)
    default:
      return String(columnValue(run, column))
  }
}

/** Columns whose values are numbers (right-aligned, default descending). */
export function isNumericColumn(column: RunColumn): boolean {
  return column === 'duration' || column === 'throughput' || column === 'hitRatio'
}
