import type Database from 'better-sqlite3'
import { runFingerprint } from '../runs/fingerprint'

/**
 * Schema version 2: the workload library; tags, notes and batch (sweep) of a run; the owning
 * process of a live run, so one process opening the shared file does not mark another live
 * process's runs interrupted; an import fingerprint; metric series and the placement heatmap as
 * typed-array BLOBs (one row per series, so a chart loads only the series it shows); indexes for
 * the archive's list filters.
 */
export const V2_SQL = `
CREATE TABLE workloads (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  workload_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

ALTER TABLE runs ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN batch TEXT;
ALTER TABLE runs ADD COLUMN fingerprint TEXT;
ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
ALTER TABLE runs ADD COLUMN owner_host TEXT;

CREATE TABLE run_series (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  key TEXT NOT NULL,
  label TEXT NOT NULL,
  unit TEXT NOT NULL,
  point_count INTEGER NOT NULL,
  t_dtype TEXT NOT NULL CHECK (t_dtype IN ('f64', 'f32')),
  t BLOB NOT NULL,
  values_dtype TEXT NOT NULL CHECK (values_dtype IN ('f64', 'f32')),
  values_blob BLOB NOT NULL,
  UNIQUE (run_id, key)
);

CREATE TABLE run_heatmaps (
  run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  meta_json TEXT NOT NULL,
  values_dtype TEXT NOT NULL CHECK (values_dtype IN ('f64', 'f32')),
  values_blob BLOB NOT NULL
);

CREATE INDEX runs_created_at ON runs (created_at);
CREATE INDEX runs_status ON runs (status);
CREATE INDEX runs_policy_id ON runs (policy_id);
CREATE INDEX runs_fingerprint ON runs (fingerprint);
`

/** v1 runs get the fingerprint new runs get at creation, so re-importing their export is caught. */
export function backfillFingerprints(db: Database.Database): void {
  const rows = db
    .prepare('SELECT id, experiment_json, seed, engine_version, created_at FROM runs')
    .all() as Array<{
    id: number
    experiment_json: string
    seed: number
    engine_version: string
    created_at: string
  }>
  const update = db.prepare('UPDATE runs SET fingerprint = ? WHERE id = ?')
  for (const row of rows) {
    const fingerprint = runFingerprint({
      experiment: JSON.parse(row.experiment_json) as unknown,
      seed: row.seed,
      engineVersion: row.engine_version,
      createdAt: row.created_at,
    })
    update.run(fingerprint, row.id)
  }
}
