import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { StoreError } from './errors'
import { classifySqliteError, inspectDatabaseFile, newerError } from './inspect'
import { createTopologyRepository, type TopologyRepository } from './library/topologies'
import { createWorkloadRepository, type WorkloadRepository } from './library/workloads'
import { createUserPolicyRepository, type UserPolicyRepository } from './library/user-policies'
import { createRunRepository, type RunRepository } from './runs'
import { interruptOrphanedRuns, isProcessAlive } from './runs/interrupt'
import { LATEST_SCHEMA_VERSION, migrate } from './schema/migrations'

/** How long a write waits for another process (app, CLI, web host) holding the lock, ms. */
const BUSY_TIMEOUT_MS = 5000

export interface StoreOptions {
  /** Clock for timestamps; tests pass a fixed one. */
  clock?: () => Date
  /** Whether a process id is alive; tests pass a fake to simulate a crashed owner. */
  processAlive?: (pid: number) => boolean
  /**
   * The most pages the file may grow to (PRAGMA max_page_count): writes beyond fail with
   * SQLITE_FULL, as on a full disk. Tests use it to fill the "disk" deterministically.
   */
  maxPageCount?: number
}

export interface Store {
  /** Absolute path of the database file (or ':memory:'). */
  readonly path: string
  /** The schema version after opening: always the latest this build knows. */
  readonly schemaVersion: number
  /** Runs that were queued or running in a process that had died, marked 'interrupted' at open. */
  readonly interruptedAtOpen: number
  readonly topologies: TopologyRepository
  readonly workloads: WorkloadRepository
  readonly userPolicies: UserPolicyRepository
  readonly runs: RunRepository
  /** Runs `fn` in one transaction (a savepoint when nested); rolls back if it throws. */
  transaction<T>(fn: () => T): T
  /**
   * SQLite's `PRAGMA data_version`: changes whenever another connection (the CLI, a second window)
   * commits to the file, never for this connection's own writes. One cheap read, no query.
   */
  dataVersion(): number
  close(): void
}

function createFolder(file: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
  } catch (error) {
    throw new StoreError(
      'io',
      `Cannot create the folder for the database ${file}: ${(error as Error).message}. Create it yourself, or choose another file with --db FILE or TIERLAB_DB.`,
      { path: file, cause: error },
    )
  }
}

/**
 * Opens (creating if missing) the Tierlab database at `file`, migrates it to the latest schema
 * and marks runs orphaned by a dead process as interrupted. Refuses, without changing them,
 * files that are corrupt, belong to another application or come from a newer Tierlab.
 */
export function openStore(file: string, options: StoreOptions = {}): Store {
  const memory = file === ':memory:'
  const resolved = memory ? file : path.resolve(file)
  if (!memory && inspectDatabaseFile(resolved) === 'create') createFolder(resolved)

  let db: Database.Database
  try {
    db = new Database(resolved)
  } catch (error) {
    throw classifySqliteError(resolved, error, 'open')
  }
  const clock = options.clock ?? (() => new Date())
  const now = () => clock().toISOString()
  const self = { pid: process.pid, host: os.hostname() }
  try {
    // WAL: readers (the UI listing runs) never block the writer (a finishing run), and the app,
    // CLI and web host can share the file. NORMAL sync is durable enough in WAL mode.
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    // Another process may have upgraded the file between inspection and now.
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > LATEST_SCHEMA_VERSION) throw newerError(resolved, version)
    const schemaVersion = migrate(db)
    if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${options.maxPageCount}`)
    const interruptedAtOpen = interruptOrphanedRuns(
      db,
      self,
      now,
      options.processAlive ?? isProcessAlive,
    )
    return {
      path: resolved,
      schemaVersion,
      interruptedAtOpen,
      topologies: createTopologyRepository(db, now),
      workloads: createWorkloadRepository(db, now),
      userPolicies: createUserPolicyRepository(db, now),
      runs: createRunRepository(db, now, self),
      transaction: <T>(fn: () => T): T => db.transaction(fn)(),
      dataVersion: () => db.pragma('data_version', { simple: true }) as number,
      close() {
        if (!db.open) return
        try {
          // Keeps the planner's statistics fresh for the list filters (sqlite.org/pragma#pragma_optimize).
          db.pragma('optimize')
        } catch {
          // Only an optimisation: a busy database must not stop the close.
        } finally {
          db.close()
        }
      },
    }
  } catch (error) {
    db.close()
    throw classifySqliteError(resolved, error, 'open')
  }
}
