import type { RunRecord } from '../../../../../shared/runs'
import { toCsv } from '../../../lib/csv'

const FIXED = [
  'id',
  'name',
  'status',
  'policy',
  'topology',
  'workload',
  'seed',
  'createdAt',
  'wallS',
  'tags',
] as const

/**
 * The archive table as CSV: one row per run, the record's fields, then every summary metric that
 * any of the runs has (sorted by key, blank where a run lacks it), as MLflow and Aim export them.
 */
export function runsSummaryCsv(runs: readonly RunRecord[]): string {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.summary ?? {})))].sort()
  const header = [...FIXED, ...keys]
  const rows = runs.map((r) => [
    r.id,
    r.name,
    r.status,
    r.policyId,
    r.topologyName,
    r.workloadName,
    r.seed,
    r.createdAt,
    r.wallMs === null ? null : r.wallMs / 1000,
    r.tags.join('; '),
    ...keys.map((k) => r.summary?.[k] ?? null),
  ])
  return toCsv([header, ...rows])
}
