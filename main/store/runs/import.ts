import type Database from 'better-sqlite3'
import { runFingerprint } from './fingerprint'
import { normaliseTags } from './run-rows'
import type { SeriesStore } from './series-store'
import type { ImportedRun, RunRepository } from './types'

/** A run exported while live has no process here to finish it. */
const IMPORTED_LIVE_ERROR =
  'This run was still queued or running when it was exported; it has no results. Run it again.'

export function createRunImport(
  db: Database.Database,
  series: SeriesStore,
): Pick<RunRepository, 'insertImported' | 'findDuplicate'> {
  const insertRun = db.prepare(`INSERT INTO runs (name, status, policy_id, topology_name,
      workload_name, seed, engine_version, experiment_json, created_at, started_at, finished_at,
      wall_ms, summary_json, processes_json, nodes_json, error, tags_json, notes, batch, fingerprint)
    VALUES (@name, @status, @policyId, @topologyName, @workloadName, @seed, @engineVersion,
      @experimentJson, @createdAt, @startedAt, @finishedAt, @wallMs, @summaryJson,
      @processesJson, @nodesJson, @error, @tagsJson, @notes, @batch, @fingerprint)`)
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
        error: live ? (run.error ?? IMPORTED_LIVE_ERROR) : run.error,
        tagsJson: JSON.stringify(normaliseTags(run.tags)),
        notes: run.notes,
        batch: run.batch,
        fingerprint: runFingerprint(run),
      })
      const id = Number(lastInsertRowid)
      series.write(id, run.series, run.heatmap)
      return id
    }),
    findDuplicate(fingerprint) {
      const row = selectByFingerprint.get(fingerprint) as { id: number } | undefined
      return row ? row.id : null
    },
  }
}
