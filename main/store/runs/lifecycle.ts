import type Database from 'better-sqlite3'
import type { RunRecord, RunStatus } from '../../../shared/runs'
import { StoreError } from '../errors'
import { runFingerprint, runGroupKey } from './fingerprint'
import { RECORD_COLUMNS, normaliseTags, runNotFound, toRunRecord, type RecordRow } from './run-rows'
import type { SeriesStore } from './series-store'
import type { CreateRunInput, FinishRunInput, RunRepository } from './types'

/** The process that owns a live run; see interrupt.ts. */
export interface RunOwner {
  pid: number
  host: string
}

type Lifecycle = Pick<
  RunRepository,
  | 'create'
  | 'markRunning'
  | 'finish'
  | 'fail'
  | 'cancel'
  | 'interrupt'
  | 'setTags'
  | 'setNotes'
  | 'delete'
>

/** Which statuses each step may start from; every other status is a conflict. */
const ALLOWED_FROM = {
  start: ['queued'],
  finish: ['running'],
  fail: ['queued', 'running'],
  cancel: ['queued', 'running'],
  interrupt: ['queued', 'running'],
} as const satisfies Record<string, readonly RunStatus[]>
type Step = keyof typeof ALLOWED_FROM

const inList = (statuses: readonly RunStatus[]) => statuses.map((s) => `'${s}'`).join(', ')

export function createRunLifecycle(
  db: Database.Database,
  series: SeriesStore,
  now: () => string,
  owner: RunOwner,
): Lifecycle {
  const selectRecord = db.prepare(`SELECT ${RECORD_COLUMNS} FROM runs WHERE id = ?`)
  const insertRun = db.prepare(`INSERT INTO runs (name, status, policy_id, topology_name,
      workload_name, seed, engine_version, experiment_json, created_at, tags_json, notes, batch,
      fingerprint, owner_pid, owner_host, group_key, replicate, sweep_point_json, job_id, queue_url)
    VALUES (@name, 'queued', @policyId, @topologyName, @workloadName, @seed, @engineVersion,
      @experimentJson, @createdAt, @tagsJson, @notes, @batch, @fingerprint, @ownerPid, @ownerHost,
      @groupKey, @replicate, @sweepPointJson, @jobId, @queueUrl)
    RETURNING ${RECORD_COLUMNS}`)
  const steps: Record<Step, Database.Statement> = {
    start: db.prepare(`UPDATE runs SET status = 'running', started_at = @at
      WHERE id = @id AND status IN (${inList(ALLOWED_FROM.start)})`),
    finish: db.prepare(`UPDATE runs SET status = 'done', finished_at = @at, wall_ms = @wallMs,
        summary_json = @summaryJson, processes_json = @processesJson, nodes_json = @nodesJson,
        warnings_json = @warningsJson, error = NULL
      WHERE id = @id AND status IN (${inList(ALLOWED_FROM.finish)})`),
    fail: db.prepare(`UPDATE runs SET status = 'failed', finished_at = @at, error = @error
      WHERE id = @id AND status IN (${inList(ALLOWED_FROM.fail)})`),
    cancel: db.prepare(`UPDATE runs SET status = 'cancelled', finished_at = @at
      WHERE id = @id AND status IN (${inList(ALLOWED_FROM.cancel)})`),
    interrupt: db.prepare(`UPDATE runs SET status = 'interrupted', finished_at = @at, error = @error
      WHERE id = @id AND status IN (${inList(ALLOWED_FROM.interrupt)})`),
  }
  const setTagsStmt = db.prepare('UPDATE runs SET tags_json = ? WHERE id = ?')
  const setNotesStmt = db.prepare('UPDATE runs SET notes = ? WHERE id = ?')
  const deleteStmt = db.prepare('DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?))')

  const mustGet = (id: number): RunRecord => {
    const row = selectRecord.get(id) as RecordRow | undefined
    if (!row) throw runNotFound(id)
    return toRunRecord(row)
  }

  /** Applies a step, or explains why the run's current status forbids it. */
  const step = (name: Step, id: number, params: Record<string, unknown>): void => {
    if (steps[name].run({ id, at: now(), ...params }).changes > 0) return
    const current = mustGet(id).status
    throw new StoreError(
      'conflict',
      `Run ${id} is ${current}; only a ${ALLOWED_FROM[name].join(' or ')} run can be ${
        {
          start: 'started',
          finish: 'finished',
          fail: 'failed',
          cancel: 'cancelled',
          interrupt: 'interrupted',
        }[name]
      }.`,
    )
  }

  return {
    create: db.transaction((input: CreateRunInput) => {
      const createdAt = now()
      const row = insertRun.get({
        name: input.name,
        policyId: input.policyId,
        topologyName: input.topologyName,
        workloadName: input.workloadName,
        seed: input.seed,
        engineVersion: input.engineVersion,
        experimentJson: JSON.stringify(input.experiment),
        createdAt,
        tagsJson: JSON.stringify(normaliseTags(input.tags ?? [])),
        notes: input.notes ?? '',
        batch: input.batch ?? null,
        fingerprint: runFingerprint({ ...input, createdAt }),
        ownerPid: owner.pid,
        ownerHost: owner.host,
        groupKey: runGroupKey(input.experiment, input.engineVersion),
        replicate: input.replicate ?? null,
        sweepPointJson: input.sweepPoint ? JSON.stringify(input.sweepPoint) : null,
        jobId: input.jobId ?? null,
        queueUrl: input.queueUrl ?? null,
      })
      return toRunRecord(row as RecordRow)
    }),
    markRunning: db.transaction((id: number) => {
      step('start', id, {})
      return mustGet(id)
    }),
    finish: db.transaction((id: number, result: FinishRunInput) => {
      step('finish', id, {
        wallMs: result.wallMs,
        summaryJson: JSON.stringify(result.summary),
        processesJson: JSON.stringify(result.processes),
        nodesJson: JSON.stringify(result.nodes ?? []),
        warningsJson: JSON.stringify(result.warnings ?? []),
      })
      series.write(id, result.series, result.heatmap)
      return mustGet(id)
    }),
    fail: db.transaction((id: number, error: string) => {
      step('fail', id, { error })
      return mustGet(id)
    }),
    cancel: db.transaction((id: number) => {
      step('cancel', id, {})
      return mustGet(id)
    }),
    interrupt: db.transaction((id: number, error: string) => {
      step('interrupt', id, { error })
      return mustGet(id)
    }),
    setTags: db.transaction((id: number, tags: string[]) => {
      if (setTagsStmt.run(JSON.stringify(normaliseTags(tags)), id).changes === 0) mustGet(id)
      return mustGet(id)
    }),
    setNotes: db.transaction((id: number, notes: string) => {
      if (setNotesStmt.run(notes, id).changes === 0) mustGet(id)
      return mustGet(id)
    }),
    // Series and heatmaps go with their run through ON DELETE CASCADE.
    delete: db.transaction((ids: number[]) => deleteStmt.run(JSON.stringify(ids)).changes),
  }
}
