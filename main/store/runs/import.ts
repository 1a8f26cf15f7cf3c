import type Database from 'better-sqlite3'
import { runFingerprint, runGroupKey } from './fingerprint'
import { normaliseTags } from './run-rows'
import type { SeriesStore } from './series-store'
import type { RunStatus } from '../../../shared/runs'
import type { ImportedRun, RunRepository } from './types'

/** A run exported while live has no process here to finish it. */
const IMPORTED_LIVE_ERROR =
  'This run was still queued or running when it was exported; it has no results. Run it again.'

export function createRunImport(
  db: Database.Database,
  series: SeriesStore,
): Pick<
  RunRepository,
  'insertImported' | 'findDuplicate' | 'findDoneJob' | 'findJobRun' | 'sweeps'
> {
  const insertRun = db.prepare(`INSERT INTO runs (name, status, policy_id, topology_name,
      workload_name, seed, engine_version, experiment_json, created_at, started_at, finished_at,
      wall_ms, summary_json, processes_json, nodes_json, warnings_json, error, tags_json, notes,
      batch, fingerprint, group_key, replicate, sweep_point_json, job_id)
    VALUES (@name, @status, @policyId, @topologyName, @workloadName, @seed, @engineVersion,
      @experimentJson, @createdAt, @startedAt, @finishedAt, @wallMs, @summaryJson,
      @processesJson, @nodesJson, @warningsJson, @error, @tagsJson, @notes, @batch, @fingerprint, @groupKey,
      @replicate, @sweepPointJson, @jobId)`)
  const selectDoneJob = db
    .prepare(`SELECT id FROM runs WHERE job_id = ? AND status = 'done' LIMIT 1`)
    .pluck()
  const selectJobRun = db.prepare(`SELECT id, status FROM runs
    WHERE job_id = ? AND status IN ('done', 'queued', 'running')
    ORDER BY status = 'done' DESC, id LIMIT 1`)
  const selectSweeps = db.prepare(`SELECT batch, min(id) AS first_id, count(*) AS runs,
      sum(status = 'done') AS done, min(created_at) AS created_at
    FROM runs WHERE batch IS NOT NULL GROUP BY batch ORDER BY min(created_at) DESC, batch`)
  const selectFirst = db.prepare('SELECT name, sweep_point_json FROM runs WHERE id = ?')
  const selectByFingerprint = db.prepare(
    'SELECT id FROM runs WHERE fingerprint = ? ORDER BY id LIMIT 1',
  )

  return {
    insertImported: db.transaction((run: ImportedRun) => {
      const live = run.status === 'queued' || run.status === 'running'
      const { lastInsertRowid } = insertRun.run({
        name: run.name,
        status: live ? 'interrupted' : run.status,
        policyId: run.policyId,
        topologyName: run.topologyName,
        workloadName: run.workloadName,
        seed: run.seed,
        engineVersion: run.engineVersion,
        experimentJson: JSON.stringify(run.experiment),
        createdAt: run.createdAt,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        wallMs: run.wallMs,
        summaryJson: run.summary === null ? null : JSON.stringify(run.summary),
        processesJson: JSON.stringify(run.processes),
        nodesJson: JSON.stringify(run.nodes),
        warningsJson: JSON.stringify(run.warnings ?? []),
        error: live ? (run.error ?? IMPORTED_LIVE_ERROR) : run.error,
        tagsJson: JSON.stringify(normaliseTags(run.tags)),
        notes: run.notes,
        batch: run.batch,
        fingerprint: runFingerprint(run),
        groupKey: runGroupKey(run.experiment, run.engineVersion),
        replicate: run.replicate ?? null,
        sweepPointJson: run.sweepPoint ? JSON.stringify(run.sweepPoint) : null,
        jobId: run.jobId ?? null,
      })
      const id = Number(lastInsertRowid)
      series.write(id, run.series, run.heatmap)
      return id
    }),
    findDoneJob(jobId) {
      return (selectDoneJob.get(jobId) as number | undefined) ?? null
    },
    findJobRun(jobId) {
      return (selectJobRun.get(jobId) as { id: number; status: RunStatus } | undefined) ?? null
    },
    sweeps() {
      const rows = selectSweeps.all() as Array<{
        batch: string
        first_id: number
        runs: number
        done: number
        created_at: string
      }>
      return rows.map((row) => {
        const first = selectFirst.get(row.first_id) as
          { name: string; sweep_point_json: string | null } | undefined
        const point = first?.sweep_point_json
          ? (JSON.parse(first.sweep_point_json) as Record<string, unknown>)
          : {}
        return {
          sweep: row.batch,
          name: first?.name.replace(/ \[.*\]( #\d+)?$/, '') ?? row.batch,
          knobs: Object.keys(point),
          runs: row.runs,
          done: row.done,
          createdAt: row.created_at,
        }
      })
    },
    findDuplicate(fingerprint) {
      const row = selectByFingerprint.get(fingerprint) as { id: number } | undefined
      return row ? row.id : null
    },
  }
}
