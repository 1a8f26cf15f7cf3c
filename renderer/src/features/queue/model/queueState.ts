import type { ApiEvent } from '../../../../../shared/api/contract'
import type { RunSeriesKind } from '../../../../../shared/metrics/catalogue'
import type { RunRecord, RunStatus } from '../../../../../shared/runs'
import { createSeriesBuffer, pushSample, type SeriesBuffer } from './seriesBuffer'

/** The live numbers a run-progress event carries (DESIGN.md §6 series, sampled while running). */
export const LIVE_KEYS = [
  'throughputOpsPerS',
  'meanLatencyNs',
  'topTierHitRatio',
  'promotedBytesPerS',
  'demotedBytesPerS',
] as const satisfies readonly RunSeriesKind[]

/** Points kept per live series: plenty for a chart a few hundred pixels wide. */
export const LIVE_CAPACITY = 600

export interface LiveRun {
  id: number
  name: string
  policyId: string
  status: RunStatus
  epoch: number
  simulatedS: number
  durationS: number | null
  /** Estimated wall-clock time left, s; null before the first estimate. */
  etaS: number | null
  series: SeriesBuffer
  /** The Redis queue it runs on (credentials never stored), or null for this host's pool. */
  queueUrl: string | null
}

export interface QueueState {
  runs: Map<number, LiveRun>
  /** Finished runs, newest last, so the queue can show how its runs ended. */
  finished: number[]
}

/** Finished runs kept in view after they leave the queue. */
export const FINISHED_KEPT = 20

export const ACTIVE: ReadonlySet<RunStatus> = new Set(['queued', 'running'])

export function createQueueState(): QueueState {
  return { runs: new Map(), finished: [] }
}

function blankRun(id: number): LiveRun {
  return {
    id,
    name: `run #${id}`,
    policyId: '',
    status: 'queued',
    epoch: 0,
    simulatedS: 0,
    durationS: null,
    etaS: null,
    series: createSeriesBuffer(LIVE_CAPACITY, LIVE_KEYS),
    queueUrl: null,
  }
}

/** Takes a record from runs.list/runs.start; progress already received is kept. */
export function upsertRecord(state: QueueState, record: RunRecord): void {
  const run = state.runs.get(record.id) ?? blankRun(record.id)
  run.name = record.name
  run.policyId = record.policyId
  run.queueUrl = record.queueUrl ?? null
  state.runs.set(record.id, run)
  setStatus(state, run, record.status)
}

function setStatus(state: QueueState, run: LiveRun, status: RunStatus): void {
  const wasActive = ACTIVE.has(run.status)
  run.status = status
  if (status === 'done' && run.durationS !== null) run.simulatedS = run.durationS
  if (wasActive && !ACTIVE.has(status)) {
    run.etaS = null
    state.finished = state.finished.filter((id) => id !== run.id)
    state.finished.push(run.id)
    // Forget the oldest finished runs, series and all, so a long session stays bounded.
    while (state.finished.length > FINISHED_KEPT) state.runs.delete(state.finished.shift()!)
  }
}

/**
 * Applies one host event. Returns the id of a run the state did not know (started elsewhere, by
 * the CLI or another window), so the caller can fetch its record; null otherwise.
 */
export function applyEvent(state: QueueState, event: ApiEvent): number | null {
  if (event.type === 'run-progress') {
    const known = state.runs.get(event.runId)
    const run = known ?? blankRun(event.runId)
    if (!known) state.runs.set(run.id, run)
    if (run.status === 'queued') run.status = 'running'
    run.epoch = event.epoch
    run.simulatedS = event.simulatedS
    run.durationS = event.durationS
    run.etaS = event.etaS
    if (event.live) pushSample(run.series, event.simulatedS, event.live)
    return known ? null : run.id
  }
  if (event.type === 'run-status') {
    const known = state.runs.get(event.runId)
    const run = known ?? blankRun(event.runId)
    if (!known) state.runs.set(run.id, run)
    setStatus(state, run, event.status)
    return known ? null : run.id
  }
  return null
}

/** Fraction done, 0..1, from simulated time (the engine's own measure of progress). */
/**
 * A running run that has not reported simulated time yet: the worker is laying out frames and
 * first-touching the workload, which takes seconds for millions of frames. "0 %" there looks hung.
 */
export function isPreparing(run: Pick<LiveRun, 'status' | 'simulatedS'>): boolean {
  return run.status === 'running' && run.simulatedS <= 0
}

export function progressOf(run: LiveRun): number {
  if (run.status === 'done') return 1
  if (!run.durationS || run.durationS <= 0) return 0
  return Math.min(1, Math.max(0, run.simulatedS / run.durationS))
}

/** Rows for the table: running first, then queued (oldest first), then finished (newest first). */
export function queueRows(state: QueueState): LiveRun[] {
  const all = [...state.runs.values()]
  const running = all.filter((r) => r.status === 'running').sort((a, b) => a.id - b.id)
  const queued = all.filter((r) => r.status === 'queued').sort((a, b) => a.id - b.id)
  const finished = [...state.finished]
    .reverse()
    .map((id) => state.runs.get(id))
    .filter((r): r is LiveRun => r !== undefined && !ACTIVE.has(r.status))
  return [...running, ...queued, ...finished]
}

/** `95 s`, `3 min 20 s`, `1 h 05 min`: an ETA a person reads at a glance. */
export function formatEta(etaS: number | null): string {
  if (etaS === null || !Number.isFinite(etaS)) return '—'
  const s = Math.max(0, Math.round(etaS))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`
}
