import type Database from 'better-sqlite3'
import { StoreError } from '../errors'

/** The columns every library row has, whatever document it holds. */
export interface SavedBase {
  id: number
  name: string
  createdAt: string
  updatedAt: string
}

/** Saved documents (topologies, workloads) of the user's library. */
export interface LibraryRepository<Doc extends { name: string }, Saved, Summary> {
  /** Every saved document's summary, by name. */
  list(): Summary[]
  get(id: number): Saved | null
  /** Saves a validated document under its own `name`. */
  insert(doc: Doc): Saved
  /** Replaces the document; the row takes the document's `name`. */
  update(id: number, doc: Doc): Saved
  /** Renames the row and the document's `name` inside it, so both stay equal. */
  rename(id: number, name: string): Saved
  /** False when there was no such row. */
  delete(id: number): boolean
}

export interface LibrarySpec<Saved, Summary> {
  table: 'topologies' | 'workloads'
  /** The column holding the document JSON. */
  docColumn: 'topology_json' | 'workload_json'
  /** What the user calls one row, for messages. */
  noun: string
  /** Summary counts computed by SQLite from the JSON: name → JSON path of an array. */
  counts: Record<string, string>
  toSaved(base: SavedBase, docJson: string): Saved
  toSummary(base: SavedBase, counts: Record<string, number>): Summary
}

interface Row {
  id: number
  name: string
  created_at: string
  updated_at: string
}

const baseOf = (row: Row): SavedBase => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/**
 * One implementation for both libraries: they differ only in table, JSON column and summary
 * counts (all constants, never user input, so interpolating them into SQL is safe).
 */
export function createLibraryRepository<Doc extends { name: string }, Saved, Summary>(
  db: Database.Database,
  spec: LibrarySpec<Saved, Summary>,
  now: () => string,
): LibraryRepository<Doc, Saved, Summary> {
  const { table, docColumn, noun } = spec
  const countNames = Object.keys(spec.counts)
  const countSql = countNames
    .map((name) => `json_array_length(${docColumn}, '${spec.counts[name]}') AS ${name}`)
    .join(', ')
  const listStmt = db.prepare(
    `SELECT id, name, created_at, updated_at, ${countSql} FROM ${table} ORDER BY name COLLATE NOCASE, id`,
  )
  const getStmt = db.prepare(
    `SELECT id, name, created_at, updated_at, ${docColumn} AS doc FROM ${table} WHERE id = ?`,
  )
  const insertStmt = db.prepare(
    `INSERT INTO ${table} (name, ${docColumn}, created_at, updated_at) VALUES (?, ?, ?, ?)`,
  )
  const updateStmt = db.prepare(
    `UPDATE ${table} SET name = ?, ${docColumn} = ?, updated_at = ? WHERE id = ?`,
  )
  const renameStmt = db.prepare(
    `UPDATE ${table} SET name = @name, ${docColumn} = json_set(${docColumn}, '$.name', @name), updated_at = @at WHERE id = @id`,
  )
  const deleteStmt = db.prepare(`DELETE FROM ${table} WHERE id = ?`)

  const mustGet = (id: number): Saved => {
    const row = getStmt.get(id) as (Row & { doc: string }) | undefined
    if (!row) {
      throw new StoreError(
        'not-found',
        `There is no saved ${noun} with id ${id}; list them to see which exist.`,
      )
    }
    return spec.toSaved(baseOf(row), row.doc)
  }

  return {
    list: () =>
      (listStmt.all() as Array<Row & Record<string, number>>).map((row) =>
        spec.toSummary(baseOf(row), Object.fromEntries(countNames.map((n) => [n, row[n] ?? 0]))),
      ),
    get: (id) => {
      const row = getStmt.get(id) as (Row & { doc: string }) | undefined
      return row ? spec.toSaved(baseOf(row), row.doc) : null
    },
    insert: db.transaction((doc: Doc) => {
      const at = now()
      const { lastInsertRowid } = insertStmt.run(doc.name, JSON.stringify(doc), at, at)
      return mustGet(Number(lastInsertRowid))
    }),
    update: db.transaction((id: number, doc: Doc) => {
      if (updateStmt.run(doc.name, JSON.stringify(doc), now(), id).changes === 0) mustGet(id)
      return mustGet(id)
    }),
    rename: db.transaction((id: number, name: string) => {
      if (renameStmt.run({ name, at: now(), id }).changes === 0) mustGet(id)
      return mustGet(id)
    }),
    delete: db.transaction((id: number) => deleteStmt.run(id).changes > 0),
  }
}
