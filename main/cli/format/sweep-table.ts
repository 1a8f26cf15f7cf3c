import type { RunDetail } from '../../../shared/runs'
import { formatMeanCi, groupMetric, type MeanCi } from '../../../shared/stats'
import { summaryMetricInfo, type SummaryMetricKey } from '../../../shared/metrics/catalogue'
import { columnTitle } from './metrics'
import { renderTable } from './table'

/** The columns a sweep table shows per point; other metrics stay in `--json`. */
export const SWEEP_METRICS: ReadonlyArray<readonly [SummaryMetricKey, string]> = (
  [
    'throughputOpsPerS',
    'meanLatencyNs',
    'p99LatencyNs',
    'topTierHitRatio',
    'promotedBytes',
  ] as const
).map((key) => [key, columnTitle(summaryMetricInfo(key))] as const)

const num = (v: number) => String(Number(v.toPrecision(5)))
const cell = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))

/** A sweep's runs grouped by grid point, in the order the points were queued. */
export function sweepGroups(runs: readonly RunDetail[]): RunDetail[][] {
  const groups = new Map<string, RunDetail[]>()
  for (const run of runs) {
    const key = JSON.stringify(run.sweepPoint ?? { run: run.id })
    const list = groups.get(key)
    if (list) list.push(run)
    else groups.set(key, [run])
  }
  return [...groups.values()]
}

/** Mean ± 95 % CI of each shown metric over a group's done runs. */
export function groupStats(group: readonly RunDetail[]): Record<string, MeanCi | null> {
  const done = group.filter((r) => r.status === 'done')
  return Object.fromEntries(SWEEP_METRICS.map(([key]) => [key, groupMetric(done, key)]))
}

/**
 * One row per grid point: its knob values, how many replicates finished, and each metric as
 * mean ± 95 % CI (Student's t) — or the single value when the point has one run.
 */
export function renderSweepTable(knobs: readonly string[], runs: readonly RunDetail[]): string {
  const groups = sweepGroups(runs)
  const replicated = groups.some((g) => g.length > 1)
  const header = [
    ...(replicated ? [] : ['run']),
    ...knobs,
    replicated ? 'done/runs' : 'status',
    ...SWEEP_METRICS.map(([, label]) => (replicated ? `${label} (mean ± 95% CI)` : label)),
  ]
  const rows = groups.map((group) => {
    const stats = groupStats(group)
    const point = group[0].sweepPoint ?? {}
    const done = group.filter((r) => r.status === 'done').length
    return [
      ...(replicated ? [] : [String(group[0].id)]),
      ...knobs.map((k) => cell(point[k])),
      replicated ? `${done}/${group.length}` : group[0].status,
      ...SWEEP_METRICS.map(([key]) => formatMeanCi(stats[key], num)),
    ]
  })
  const right = header.map((_, i) => i >= header.length - SWEEP_METRICS.length)
  return renderTable(header, rows, replicated ? right : [true, ...right.slice(1)])
}
