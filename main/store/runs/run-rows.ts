import type { Experiment } from '../../../shared/formats/experiment'
import { StoreError } from '../errors'
import type { RunDetail, RunRecord, RunStatus, RunSummaryMetrics } from '../../../shared/runs'

/** The runs columns a list shows: everything except the large JSON blobs. */
export const RECORD_COLUMNS = `id, name, status, policy_id, topology_name, workload_name, seed,
  engine_version, created_at, started_at, finished_at, wall_ms, tags_json, notes, batch,
  summary_json, error, group_key, replicate, sweep_point_json, job_id, queue_url`

export interface RecordRow {
  id: number
  name: string
  status: RunStatus
  policy_id: string
  topology_name: string
  workload_name: string
  seed: number
  engine_version: string
  created_at: string
  started_at: string | null
  finished_at: string | null
  wall_ms: number | null
  tags_json: string
  notes: string
  batch: string | null
  summary_json: string | null
  error: string | null
  group_key: string | null
  replicate: number | null
  sweep_point_json: string | null
  job_id: string | null
  queue_url: string | null
}

export interface DetailRow extends RecordRow {
  experiment_json: string
  processes_json: string | null
  /** NULL for runs archived before schema v3. */
  nodes_json: string | null
  /** NULL for runs archived before schema v6. */
  warnings_json: string | null
}

export function toRunRecord(row: RecordRow): RunRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    policyId: row.policy_id,
    topologyName: row.topology_name,
    workloadName: row.workload_name,
    seed: row.seed,
    engineVersion: row.engine_version,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    wallMs: row.wall_ms,
    tags: JSON.parse(row.tags_json) as string[],
    notes: row.notes,
    batch: row.batch,
    summary: row.summary_json === null ? null : (JSON.parse(row.summary_json) as RunSummaryMetrics),
    error: row.error,
    groupKey: row.group_key,
    replicate: row.replicate,
    sweepPoint:
      row.sweep_point_json === null
        ? null
        : (JSON.parse(row.sweep_point_json) as RunRecord['sweepPoint']),
    jobId: row.job_id,
    queueUrl: row.queue_url,
  }
}

export function toRunDetail(row: DetailRow): RunDetail {
  return {
    ...toRunRecord(row),
    experiment: JSON.parse(row.experiment_json) as Experiment,
    processes:
      row.processes_json === null ? [] : (JSON.parse(row.processes_json) as RunDetail['processes']),
    nodes: row.nodes_json === null ? [] : (JSON.parse(row.nodes_json) as RunDetail['nodes']),
    warnings: row.warnings_json === null ? [] : (JSON.parse(row.warnings_json) as string[]),
  }
}

/** Tags as stored: trimmed, without empties or repeats, in the order given. */
export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))]
}

export const runNotFound = (id: number): StoreError =>
  new StoreError('not-found', `There is no run with id ${id}; it may have been deleted.`)
