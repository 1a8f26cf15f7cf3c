import type { RunSummaryMetrics } from '../../../../../shared/runs'
import { formatBytes } from '../../../../../shared/units'
import { formatPercent, SAME_WITHIN_PERCENT } from './deltas'
import { isReferencePolicy } from './referenceRuns'
import { runLabels } from './runLabels'

export interface VerdictRun {
  id: number
  name: string
  policyId: string
  summary: RunSummaryMetrics | null
}

/** Runs are named by their policy when that tells them apart, else by name (runLabels). */
function labeller(runs: readonly VerdictRun[]): (r: VerdictRun) => string {
  const labels = runLabels(runs)
  return (r) => labels[runs.indexOf(r)]
}

const ratio2 = (v: number) => v.toFixed(2)

/**
 * "Which real policy wins and why" in one line: among the runs of real policies, the one with the
 * highest mean throughput against the baseline (or, when the baseline wins or is a reference run,
 * against the runner-up), then the evidence: top-tier hit ratios, mean latencies and how much the
 * winner promoted. Reference runs (the oracle) never win; they close the line as a bound. E.g.
 * "numa-balancing-tiering wins: +23 % throughput vs first-touch; hit ratio 0.91 vs 0.42; …;
 * oracle bound: numa-balancing-tiering reaches 97 % of its throughput".
 */
export function compareVerdict(runs: readonly VerdictRun[], baselineIndex = 0): string {
  const ready = runs.filter((r) => typeof r.summary?.throughputOpsPerS === 'number')
  if (ready.length < 2) {
    return 'Pick at least two finished runs to see which one wins.'
  }
  const label = labeller(ready)
  const real = ready.filter((r) => !isReferencePolicy(r.policyId))
  const bounds = ready.filter((r) => isReferencePolicy(r.policyId))
  if (real.length === 0) {
    return `Only reference runs (${bounds.map(label).join(', ')}): add a run of a real policy to see which one wins.`
  }
  const ranked = [...real].sort(
    (a, b) => b.summary!.throughputOpsPerS - a.summary!.throughputOpsPerS || a.id - b.id,
  )
  const winner = ranked[0]
  const parts: string[] = []
  if (real.length === 1) {
    parts.push(`${label(winner)} is the only real policy here`)
  } else {
    const baseline = runs[baselineIndex]
    const baselineReal = baseline !== undefined && real.includes(baseline)
    const other = !baselineReal || winner === baseline ? ranked[1] : baseline
    parts.push(...versus(winner, other, label))
  }
  const bound = [...bounds].sort(
    (a, b) => b.summary!.throughputOpsPerS - a.summary!.throughputOpsPerS,
  )[0]
  if (bound && bound.summary!.throughputOpsPerS > 0) {
    const share = (winner.summary!.throughputOpsPerS / bound.summary!.throughputOpsPerS) * 100
    parts.push(
      `${label(bound)} bound: ${label(winner)} reaches ${Math.round(share)} % of its throughput`,
    )
  }
  return parts.join('; ')
}

/** The winner against one other real run: the throughput gain (or a tie), then the evidence. */
function versus(winner: VerdictRun, other: VerdictRun, label: (r: VerdictRun) => string): string[] {
  const w = winner.summary!
  const o = other.summary!
  const percent =
    o.throughputOpsPerS !== 0
      ? ((w.throughputOpsPerS - o.throughputOpsPerS) / Math.abs(o.throughputOpsPerS)) * 100
      : null
  const parts: string[] = []
  if (percent !== null && Math.abs(percent) < SAME_WITHIN_PERCENT) {
    parts.push(
      `${label(winner)} and ${label(other)}: same throughput (within ${SAME_WITHIN_PERCENT} %)`,
    )
  } else {
    const gain = percent === null ? 'more' : formatPercent(percent)
    parts.push(`${label(winner)} wins: ${gain} throughput vs ${label(other)}`)
  }
  if (typeof w.topTierHitRatio === 'number' && typeof o.topTierHitRatio === 'number') {
    parts.push(`hit ratio ${ratio2(w.topTierHitRatio)} vs ${ratio2(o.topTierHitRatio)}`)
  }
  if (typeof w.meanLatencyNs === 'number' && typeof o.meanLatencyNs === 'number') {
    parts.push(`mean latency ${Math.round(w.meanLatencyNs)} vs ${Math.round(o.meanLatencyNs)} ns`)
  }
  if (typeof w.promotedBytes === 'number' && w.promotedBytes > 0) {
    parts.push(`${formatBytes(w.promotedBytes)} promoted`)
  }
  if (typeof w.pingPongs === 'number' && w.pingPongs > 0) {
    parts.push(`${w.pingPongs} ping-pong${w.pingPongs === 1 ? '' : 's'}`)
  }
  return parts
}
