/**
 * Schema version 1 (Tierlab 0.1 preview): saved topologies and the run archive, with the run's
 * whole experiment, summary and per-process results as JSON. Frozen: test/fixtures/db/v1.sql holds
 * the same DDL, and a test checks they agree. Never edit this file; add a migration instead.
 */
export const V1_SQL = `
CREATE TABLE topologies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  topology_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
  policy_id TEXT NOT NULL,
  topology_name TEXT NOT NULL,
  workload_name TEXT NOT NULL,
  seed INTEGER NOT NULL,
  engine_version TEXT NOT NULL,
  experiment_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  wall_ms REAL,
  summary_json TEXT,
  processes_json TEXT,
  error TEXT
);
`
