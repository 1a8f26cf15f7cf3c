import {
  compareMeans,
  formatMeanCi,
  groupMetric,
  groupRuns,
  type MeanCi,
} from '../../../../../shared/stats'
import type { RunDetail } from '../../../../../shared/runs'

/** What grouping needs of a compared run. */
export interface GroupableRun {
  id: number
  label: string
  color: string
  detail: Pick<RunDetail, 'groupKey' | 'summary' | 'status'>
}

/** Runs of one experiment that differ only by seed (shared/stats.ts groupRuns). */
export interface ReplicateGroup<R extends GroupableRun = GroupableRun> {
  label: string
  color: string
  runs: R[]
}

/** The metrics a group row shows as mean ± 95 % CI. */
export const GROUP_METRICS = [
  ['throughputOpsPerS', 'throughput ops/s'],
  ['meanLatencyNs', 'mean latency ns'],
  ['topTierHitRatio', 'top-tier hit ratio'],
] as const

const fmt = (v: number) => String(Number(v.toPrecision(4)))

export function replicateGroups<R extends GroupableRun>(runs: readonly R[]): ReplicateGroup<R>[] {
  return groupRuns(runs.map((r) => ({ ...r, groupKey: r.detail.groupKey ?? null }))).map((g) => ({
    label: g.length > 1 ? `${g[0].label} (${g.length} seeds)` : g[0].label,
    color: g[0].color,
    runs: g.map((r) => runs.find((x) => x.id === r.id)!),
  }))
}

const metricOf = (group: ReplicateGroup, key: string): MeanCi | null =>
  groupMetric(
    group.runs.filter((r) => r.detail.status === 'done').map((r) => r.detail),
    key,
  )

/** One row per group: its label, size and each metric as mean ± 95 % CI. */
export function groupRows(groups: readonly ReplicateGroup[]) {
  return groups.map((g) => ({
    label: g.label,
    color: g.color,
    n: g.runs.length,
    cells: GROUP_METRICS.map(([key]) => formatMeanCi(metricOf(g, key), fmt)),
  }))
}

/**
 * Whether the throughput difference between each group and the baseline's is beyond the noise
 * (Welch's 95 % interval of the difference excludes 0). Null when no group has replicates: then
 * there is nothing to say about noise beyond "run more seeds".
 */
export function noiseVerdict(
  groups: readonly ReplicateGroup[],
  baselineRunId: number | null,
): string | null {
  if (groups.length < 2 || !groups.some((g) => g.runs.length > 1)) return null
  const baseline = groups.find((g) => g.runs.some((r) => r.id === baselineRunId)) ?? groups[0]
  const base = metricOf(baseline, 'throughputOpsPerS')
  if (!base) return null
  const parts: string[] = []
  for (const group of groups) {
    if (group === baseline) continue
    const other = metricOf(group, 'throughputOpsPerS')
    if (!other) continue
    const d = compareMeans(base, other)
    const pct = (v: number) => `${((v / Math.abs(base.mean)) * 100).toFixed(1)} %`
    const signed = `${d.difference >= 0 ? '+' : ''}${pct(d.difference)}`
    if (d.halfWidth === null) {
      parts.push(
        `${group.label} vs ${baseline.label}: ${signed} throughput; noise unknown (one run on a side — add --replicates)`,
      )
    } else if (d.withinNoise) {
      parts.push(
        `${group.label} vs ${baseline.label}: ${signed} throughput is within the noise (±${pct(d.halfWidth)} at 95 %)`,
      )
    } else {
      parts.push(
        `${group.label} vs ${baseline.label}: ${signed} throughput, beyond the noise (±${pct(d.halfWidth)} at 95 %)`,
      )
    }
  }
  return parts.length > 0 ? parts.join('; ') : null
}
