import type Database from 'better-sqlite3'
import { TIERLAB_APPLICATION_ID } from './identity'
import { V1_SQL } from './v1'
import { V2_SQL, backfillFingerprints } from './v2'
import { V3_SQL } from './v3'
import { V4_SQL } from './v4'
import { V5_SQL, backfillGroupKeys } from './v5'
import { V6_SQL } from './v6'

export interface Migration {
  /** The `user_version` the database has after this step. */
  version: number
  /** What changed and why, for people reading the history. */
  description: string
  up(db: Database.Database): void
}

/**
 * The schema's history, oldest first, one entry per version. Forward only: a released entry is
 * never edited (test/fixtures/db holds a frozen copy of each earlier version); change the schema by
 * appending an entry.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    // v1: the first archive. Runs keep the whole resolved experiment so a run can be repeated and
    // compared even after its topology or workload was edited or deleted.
    version: 1,
    description: 'topologies and runs (experiment snapshot, engine version, seed, status, timings)',
    up: (db) => db.exec(V1_SQL),
  },
  {
    // v2: the workload library, tags/notes/batches for sorting sweeps, metric series and heatmaps
    // as compact BLOBs (JSON arrays of thousands of floats were 3-4× larger and slow to parse),
    // live-run ownership for interrupt detection, and an import fingerprint.
    version: 2,
    description:
      'workloads, run tags/notes/batch/owner/fingerprint, run_series, run_heatmaps, indexes',
    up: (db) => {
      db.exec(V2_SQL)
      backfillFingerprints(db)
    },
  },
  {
    // v3: nodes at the end of a run, and the better-direction a policy gives its own series.
    // Older runs keep NULLs: they open and compare as before, with no per-node result.
    version: 3,
    description: 'runs.nodes_json, run_series.better',
    up: (db) => db.exec(V3_SQL),
  },
  {
    // v4: user policy scripts, every changed save a new version (runs archive the sha256).
    version: 4,
    description: 'user_policies and user_policy_versions',
    up: (db) => db.exec(V4_SQL),
  },
  {
    // v5: grids, replicates and distributed sweeps: replicate group, replicate index, grid point,
    // queue job id (done at most once per database) and the queue's address.
    version: 5,
    description: 'run group_key/replicate/sweep_point/job_id/queue_url, batch and job indexes',
    up: (db) => {
      db.exec(V5_SQL)
      backfillGroupKeys(db)
    },
  },
  {
    // v6: the engine's warnings about a run (unconverged closed-loop epochs, …). Older runs keep
    // NULL: they open as runs without warnings.
    version: 6,
    description: 'runs.warnings_json',
    up: (db) => db.exec(V6_SQL),
  },
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version

/**
 * Brings the database to `target` (default: latest) in one IMMEDIATE transaction: a second process
 * opening the same file waits on the write lock, then sees the new version and does nothing.
 * Returns the version the database has afterwards.
 */
export function migrate(db: Database.Database, target: number = LATEST_SCHEMA_VERSION): number {
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number
    for (const migration of MIGRATIONS) {
      if (migration.version <= current || migration.version > target) continue
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    }
    if (db.pragma('application_id', { simple: true }) !== TIERLAB_APPLICATION_ID) {
      db.pragma(`application_id = ${TIERLAB_APPLICATION_ID}`)
    }
    return db.pragma('user_version', { simple: true }) as number
  })
  return run.immediate()
}
