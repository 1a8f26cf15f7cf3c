import type Database from 'better-sqlite3'
import { runGroupKey } from '../runs/fingerprint'

/**
 * Schema version 5: sweeps that span grids, replicates and machines. A run keeps its replicate
 * group (same experiment and engine, any seed), its replicate index and its grid point within a
 * sweep (the batch), and, when it ran on a distributed queue, the job id (hash of experiment, seed
 * and engine version) and the queue's address without credentials. A job id may be done only once
 * per database: the partial unique index makes a job delivered twice write once.
 */
export const V5_SQL = `
ALTER TABLE runs ADD COLUMN group_key TEXT;
ALTER TABLE runs ADD COLUMN replicate INTEGER;
ALTER TABLE runs ADD COLUMN sweep_point_json TEXT;
ALTER TABLE runs ADD COLUMN job_id TEXT;
ALTER TABLE runs ADD COLUMN queue_url TEXT;

CREATE INDEX runs_group_key ON runs (group_key);
CREATE INDEX runs_batch ON runs (batch);
CREATE INDEX runs_job_id ON runs (job_id);
CREATE UNIQUE INDEX runs_job_id_done ON runs (job_id) WHERE status = 'done' AND job_id IS NOT NULL;
`

/** Earlier runs get the group key new runs get at creation, so old seeds group with new ones. */
export function backfillGroupKeys(db: Database.Database): void {
  const rows = db.prepare('SELECT id, experiment_json, engine_version FROM runs').all() as Array<{
    id: number
    experiment_json: string
    engine_version: string
  }>
  const update = db.prepare('UPDATE runs SET group_key = ? WHERE id = ?')
  for (const row of rows) {
    update.run(runGroupKey(JSON.parse(row.experiment_json) as unknown, row.engine_version), row.id)
  }
}
