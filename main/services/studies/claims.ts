import type { StudyClaim } from '../../../shared/formats'
import { PROCESS_METRIC } from './plan'

/** What a claim needs of a finished run: its summary and per-process results. */
export interface StudyRunResult {
  summary: Record<string, number> | null
  processes: ReadonlyArray<{ id: string; throughputOpsPerS: number; meanLatencyNs: number }>
}

export interface ClaimOutcome {
  claim: StudyClaim
  ok: boolean
  a: number | null
  b: number | null
  /** How far a is from b, % of b (null when b is 0 or missing). */
  deltaPct: number | null
  /** One line: the figures and why it holds or fails. */
  detail: string
}

/** The value of a summary metric or `process.<id>.<metric>` in a run, or null when it has none. */
export function metricValue(run: StudyRunResult | undefined, key: string): number | null {
  if (!run) return null
  const m = PROCESS_METRIC.exec(key)
  if (m) {
    const p = run.processes.find((q) => q.id === m[1])
    const v = p?.[m[2] as 'throughputOpsPerS' | 'meanLatencyNs']
    return typeof v === 'number' && Number.isFinite(v) ? v : null
  }
  const v = run.summary?.[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

const fmt = (v: number) =>
  Math.abs(v) >= 1000 || v === 0
    ? Math.round(v).toLocaleString('en-US')
    : Number(v.toPrecision(4)).toString()

/**
 * Checks one claim on the study's results (run id → result). `>`/`<` with a margin demand that
 * much headroom (a > b·(1+m), a < b·(1−m)); `>=`/`<=` allow the margin the other way (a ≥
 * b·(1−m)); `within` is a tie: |a − b| ≤ m·max(|a|, |b|).
 */
export function evaluateClaim(
  claim: StudyClaim,
  results: ReadonlyMap<string, StudyRunResult>,
): ClaimOutcome {
  const a = metricValue(results.get(claim.a), claim.metric)
  const b = typeof claim.b === 'number' ? claim.b : metricValue(results.get(claim.b), claim.metric)
  const bName = typeof claim.b === 'number' ? String(claim.b) : claim.b
  if (a === null || b === null) {
    const missing = a === null ? claim.a : bName
    return {
      claim,
      ok: false,
      a,
      b,
      deltaPct: null,
      detail: `${missing} has no value for ${claim.metric}`,
    }
  }
  const m = claim.marginPct / 100
  const ok =
    claim.op === '>'
      ? a > b * (1 + m)
      : claim.op === '>='
        ? a >= b * (1 - m)
        : claim.op === '<'
          ? a < b * (1 - m)
          : claim.op === '<='
            ? a <= b * (1 + m)
            : Math.abs(a - b) <= m * Math.max(Math.abs(a), Math.abs(b))
  const deltaPct = b !== 0 ? ((a - b) / Math.abs(b)) * 100 : null
  // Against a fixed number (`> 0.8`, `<= 0`) a relative difference says nothing.
  const delta =
    deltaPct === null || typeof claim.b === 'number'
      ? ''
      : ` (${deltaPct >= 0 ? '+' : ''}${deltaPct.toFixed(1)} %)`
  const margin = claim.marginPct > 0 ? ` with a ${claim.marginPct} % margin` : ''
  return {
    claim,
    ok,
    a,
    b,
    deltaPct,
    detail: `${claim.a} ${fmt(a)} ${claim.op} ${typeof claim.b === 'number' ? fmt(b) : `${bName} ${fmt(b)}`}${margin}${delta}`,
  }
}

export function evaluateClaims(
  claims: readonly StudyClaim[],
  results: ReadonlyMap<string, StudyRunResult>,
): ClaimOutcome[] {
  return claims.map((c) => evaluateClaim(c, results))
}
