import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { CHOOSE_ANOTHER_FILE, StoreError, storageFailure } from './errors'
import { HEAD_BYTES, parseSqliteHeader, type SqliteHeader } from './file-header'
import { TIERLAB_APPLICATION_ID, formatApplicationId } from './schema/identity'
import { LATEST_SCHEMA_VERSION } from './schema/migrations'

/** What opening may do with the file: create a new database, or open (and migrate) this one. */
export type FileVerdict = 'create' | 'open'

const corrupt = (file: string, detail: string, cause?: unknown) =>
  new StoreError(
    'corrupt',
    `${file} is not a readable Tierlab database: ${detail}. Tierlab has not changed it. Restore it from a backup, or move it aside so Tierlab creates a new one, ${CHOOSE_ANOTHER_FILE}.`,
    { path: file, cause },
  )

const io = (file: string, what: string, cause: unknown) =>
  new StoreError(
    'io',
    `Cannot ${what} ${file}: ${(cause as Error).message}. Check that the file and its folder exist and are readable and writable, ${CHOOSE_ANOTHER_FILE}.`,
    { path: file, cause },
  )

export function newerError(file: string, userVersion: number): StoreError {
  return new StoreError(
    'newer',
    `${file} has Tierlab database schema version ${userVersion}, but this Tierlab reads schema versions up to ${LATEST_SCHEMA_VERSION}. It was written by a newer Tierlab; Tierlab has not changed it. Update Tierlab, ${CHOOSE_ANOTHER_FILE}.`,
    { path: file },
  )
}

const foreignError = (file: string, applicationId: number, tables: string[] | null) =>
  new StoreError(
    'foreign',
    `${file} is an SQLite database of another application (application_id ${formatApplicationId(applicationId)}${
      tables ? `, tables: ${tables.join(', ') || 'none'}` : ''
    }), not a Tierlab archive. Tierlab has not changed it. Move it aside so Tierlab creates a new one, ${CHOOSE_ANOTHER_FILE}.`,
    { path: file },
  )

/** SQLite's own verdicts become StoreErrors; anything else is an I/O problem. */
export function classifySqliteError(file: string, error: unknown, what: string): StoreError {
  if (error instanceof StoreError) return error
  const code = (error as { code?: string }).code ?? ''
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return corrupt(file, `SQLite reports "${(error as Error).message}"`, error)
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_FULL') {
    return storageFailure(file, error)!
  }
  if (code.startsWith('SQLITE_CANTOPEN') && readOnlyPlace(file)) {
    return new StoreError(
      'io',
      `${file} is on a read-only disk or in a folder Tierlab cannot write to (SQLite needs to create ${path.basename(file)}-wal and -shm beside it). Make the folder writable, ${CHOOSE_ANOTHER_FILE}.`,
      { path: file, cause: error },
    )
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      'io',
      `${file} is locked by another program (${(error as Error).message}). Close the other program or wait for it to finish, then try again.`,
      { path: file, cause: error },
    )
  }
  return io(file, what, error)
}

/** Whether the database's folder cannot be written (read-only mount, no permission). */
function readOnlyPlace(file: string): boolean {
  try {
    fs.accessSync(path.dirname(file), fs.constants.W_OK)
    return false
  } catch {
    return true
  }
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r')
  try {
    const head = Buffer.alloc(HEAD_BYTES)
    return head.subarray(0, fs.readSync(fd, head, 0, HEAD_BYTES, 0))
  } finally {
    fs.closeSync(fd)
  }
}

interface Identity {
  applicationId: number
  userVersion: number
  /** Names when read through SQLite; null when only the header was read. */
  tables: string[] | null
  hasTables: boolean
}

const identityFromHeader = (header: SqliteHeader): Identity => ({
  applicationId: header.applicationId,
  userVersion: header.userVersion,
  tables: null,
  hasTables: header.hasSchemaEntries,
})

function identityFromConnection(db: Database.Database): Identity {
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
    )
    .pluck()
    .all() as string[]
  return {
    applicationId: db.pragma('application_id', { simple: true }) as number,
    userVersion: db.pragma('user_version', { simple: true }) as number,
    tables,
    hasTables: tables.length > 0,
  }
}

/** Refuses other applications' files and newer Tierlab schemas; a blank SQLite file is adopted. */
function checkIdentity(file: string, id: Identity): void {
  if (id.applicationId !== TIERLAB_APPLICATION_ID) {
    if (id.applicationId !== 0 || id.hasTables || id.userVersion !== 0) {
      throw foreignError(file, id.applicationId, id.tables)
    }
    return
  }
  if (id.userVersion > LATEST_SCHEMA_VERSION) throw newerError(file, id.userVersion)
}

/**
 * Runs `fn` on a read-only connection. Such a connection to a WAL-mode file creates -wal/-shm
 * files; if the file is then refused, those it created are removed so the file is left as found.
 * On success they stay: the read-write connection that follows uses them, and removing a -shm
 * another process may just have mapped would split the WAL index between processes.
 */
function withReadOnly<T>(file: string, fn: (db: Database.Database) => T): T {
  const absent = [`${file}-wal`, `${file}-shm`].filter((f) => !fs.existsSync(f))
  let db: Database.Database | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    const result = fn(db)
    db.close()
    return result
  } catch (error) {
    db?.close()
    for (const created of absent) fs.rmSync(created, { force: true })
    throw classifySqliteError(file, error, 'read')
  }
}

/**
 * Decides, without modifying the file, whether Tierlab may open it: refuses files that are not
 * SQLite or are damaged ('corrupt'), other applications' databases ('foreign') and databases of a
 * newer Tierlab ('newer'), so none of them is "repaired", adopted or downgraded by accident.
 */
export function inspectDatabaseFile(file: string): FileVerdict {
  let stat: fs.Stats
  let head: Buffer
  try {
    stat = fs.statSync(file)
    if (!stat.isFile()) {
      throw new StoreError(
        'io',
        `${file} is not a file (it is a folder or a device); point Tierlab at a database file with --db FILE or TIERLAB_DB.`,
        { path: file },
      )
    }
    // SQLite itself treats a zero-byte file as a new, empty database.
    if (stat.size === 0) return 'create'
    head = readHead(file)
  } catch (error) {
    if (error instanceof StoreError) throw error
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'create'
    throw io(file, 'read', error)
  }

  const header = parseSqliteHeader(head)
  if (!header) {
    throw corrupt(
      file,
      'it does not start with an SQLite file header, so it is not an SQLite database',
    )
  }
  // With a -wal file present, newer pages (header included) may live there: ask SQLite instead.
  const walPending = fs.existsSync(`${file}-wal`)
  if (!walPending) {
    if (header.pageCount !== null && header.pageCount * header.pageBytes > stat.size) {
      throw corrupt(
        file,
        `it is ${stat.size} bytes, but its header says ${header.pageCount} pages of ${header.pageBytes} bytes (${header.pageCount * header.pageBytes} bytes): the file was truncated`,
      )
    }
    const fromHeader = identityFromHeader(header)
    // Name the tables when that is free: a rollback-journal file opens read-only without sidecars.
    if (fromHeader.applicationId !== TIERLAB_APPLICATION_ID && !header.walMode) {
      checkIdentity(file, withReadOnly(file, identityFromConnection))
    }
    checkIdentity(file, fromHeader)
  }

  withReadOnly(file, (db) => {
    if (walPending) checkIdentity(file, identityFromConnection(db))
    // quick_check reads every page once: it catches damage before a migration writes to the file.
    const problems = (db.pragma('quick_check(5)') as Array<{ quick_check: string }>)
      .map((row) => row.quick_check)
      .filter((row) => row !== 'ok')
    if (problems.length > 0) {
      throw corrupt(file, `SQLite's integrity check says "${problems.join('; ')}"`)
    }
  })
  return 'open'
}
