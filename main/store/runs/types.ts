import type { Experiment } from '../../../shared/formats/experiment'
import type {
  HeatmapData,
  RunDetail,
  RunRecord,
  RunStatus,
  RunSummaryMetrics,
  SeriesData,
  SweepValue,
} from '../../../shared/runs'

export interface CreateRunInput {
  name: string
  /** The resolved experiment (presets inlined), stored as the run's snapshot. */
  experiment: Experiment
  engineVersion: string
  seed: number
  policyId: string
  topologyName: string
  workloadName: string
  tags?: string[]
  notes?: string
  batch?: string | null
  replicate?: number | null
  sweepPoint?: Record<string, SweepValue> | null
  jobId?: string | null
  queueUrl?: string | null
}

export interface FinishRunInput {
  summary: RunSummaryMetrics
  processes: RunDetail['processes']
  /** The per-node placement at the end; absent reads back as none. */
  nodes?: RunDetail['nodes']
  /** The engine's warnings about the result; absent reads back as none. */
  warnings?: string[]
  series: SeriesData[]
  heatmap: HeatmapData | null
  /** Wall-clock run time, ms. */
  wallMs: number
}

export interface ListRunsFilter {
  status?: RunStatus
  policyId?: string
  /** Runs carrying this exact tag. */
  tag?: string
  /** Case-insensitive substring of name, policy, topology, workload, batch or notes. */
  text?: string
  /** Runs of this batch (sweep). */
  batch?: string
  /** Runs of this replicate group. */
  groupKey?: string
  limit?: number
  offset?: number
}

/** A whole run as an export bundle carries it. */
export interface ImportedRun extends Omit<RunDetail, 'id'> {
  series: SeriesData[]
  heatmap: HeatmapData | null
}

export interface RunRepository {
  /** A new run in status 'queued', owned by this process. */
  create(input: CreateRunInput): RunRecord
  /** queued → running. */
  markRunning(id: number): RunRecord
  /** running → done, with summary, per-process results, series and heatmap, atomically. */
  finish(id: number, result: FinishRunInput): RunRecord
  /** queued | running → failed. */
  fail(id: number, error: string): RunRecord
  /** queued | running → cancelled. */
  cancel(id: number): RunRecord
  /** queued | running → interrupted: its process is shutting down before the run could finish. */
  interrupt(id: number, error: string): RunRecord
  /** Newest first; no series, experiment or per-process results. */
  list(filter?: ListRunsFilter): RunRecord[]
  /** How many runs match (ignores limit/offset), for paging. */
  count(filter?: ListRunsFilter): number
  get(id: number): RunDetail | null
  /** Series in the order they were stored; only `keys` when given. */
  series(id: number, keys?: string[]): SeriesData[]
  heatmap(id: number): HeatmapData | null
  setTags(id: number, tags: string[]): RunRecord
  setNotes(id: number, notes: string): RunRecord
  /** Deletes runs with their series and heatmaps; returns how many existed. */
  delete(ids: number[]): number
  /**
   * Stores a run from an export bundle with its original status and timestamps (a run that was
   * queued or running when exported becomes 'interrupted'); returns the new id.
   */
  insertImported(run: ImportedRun): number
  /** The id of a run with this fingerprint (see runFingerprint), or null. */
  findDuplicate(fingerprint: string): number | null
  /** The done run of this queue job id in this database, or null. */
  findDoneJob(jobId: string): number | null
  /** The run of this queue job that is done, else one still queued or running, or null. */
  findJobRun(jobId: string): { id: number; status: RunStatus } | null
  /** Sweeps (batches) newest first, with their knobs and counts. */
  sweeps(): SweepSummary[]
}

/** One sweep (batch) of the archive. */
export interface SweepSummary {
  sweep: string
  /** The first run's name, the sweep's label. */
  name: string
  /** Knob paths of its grid, in order (empty for a batch without grid points). */
  knobs: string[]
  runs: number
  done: number
  createdAt: string
}
