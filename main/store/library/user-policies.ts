import type Database from 'better-sqlite3'
import type { UserPolicy, UserPolicySummary } from '../../../shared/user-policies'
import { StoreError } from '../errors'

export interface SaveUserPolicyInput {
  name: string
  language: 'js' | 'ts'
  source: string
  sourceSha256: string
  /** The script's own name/description ('' when it does not load yet: drafts are kept). */
  title: string
  description: string
}

/** Saved policy scripts, by file-like name, each save with a new source a new version. */
export interface UserPolicyRepository {
  list(): UserPolicySummary[]
  /** The newest version, or the given one; null when there is none. */
  get(name: string, version?: number): UserPolicy | null
  /** The version with this source hash (the code an archived run ran), if still saved. */
  findBySha(sha256: string): UserPolicy | null
  /** Adds a version when the source changed; an unchanged source returns the newest as it is. */
  save(input: SaveUserPolicyInput): UserPolicy
  /** Removes the policy and all its versions; false when there was none. */
  delete(name: string): boolean
}

interface Row {
  name: string
  language: 'js' | 'ts'
  version: number
  title: string
  description: string
  source_sha256: string
  created_at: string
  updated_at: string
  source?: string
}

const COLUMNS = `p.name, p.language, v.version, v.title, v.description, v.source_sha256,
  p.created_at, p.updated_at`

function summary(r: Row): UserPolicySummary {
  return {
    name: r.name,
    language: r.language,
    version: r.version,
    title: r.title,
    description: r.description,
    sourceSha256: r.source_sha256,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

const full = (r: Row | undefined): UserPolicy | null =>
  r ? { ...summary(r), source: r.source ?? '' } : null

export function createUserPolicyRepository(
  db: Database.Database,
  now: () => string,
): UserPolicyRepository {
  const latest = `v.version = (SELECT MAX(version) FROM user_policy_versions WHERE policy_id = p.id)`
  const listStmt = db.prepare(
    `SELECT ${COLUMNS} FROM user_policies p JOIN user_policy_versions v ON v.policy_id = p.id
     WHERE ${latest} ORDER BY p.name COLLATE NOCASE`,
  )
  const getLatest = db.prepare(
    `SELECT ${COLUMNS}, v.source FROM user_policies p JOIN user_policy_versions v ON v.policy_id = p.id
     WHERE p.name = ? AND ${latest}`,
  )
  const getVersion = db.prepare(
    `SELECT ${COLUMNS}, v.source FROM user_policies p JOIN user_policy_versions v ON v.policy_id = p.id
     WHERE p.name = ? AND v.version = ?`,
  )
  const bySha = db.prepare(
    `SELECT ${COLUMNS}, v.source FROM user_policies p JOIN user_policy_versions v ON v.policy_id = p.id
     WHERE v.source_sha256 = ? ORDER BY v.id DESC LIMIT 1`,
  )
  const idOf = db.prepare('SELECT id, language FROM user_policies WHERE name = ?')
  const insertPolicy = db.prepare(
    'INSERT INTO user_policies (name, language, created_at, updated_at) VALUES (?, ?, ?, ?)',
  )
  const touch = db.prepare('UPDATE user_policies SET updated_at = ? WHERE id = ?')
  const insertVersion = db.prepare(
    `INSERT INTO user_policy_versions (policy_id, version, source, source_sha256, title, description, created_at)
     VALUES (?, (SELECT COALESCE(MAX(version), 0) + 1 FROM user_policy_versions WHERE policy_id = ?), ?, ?, ?, ?, ?)`,
  )
  const deleteStmt = db.prepare('DELETE FROM user_policies WHERE name = ?')

  const get = (name: string, version?: number): UserPolicy | null =>
    full(
      (version === undefined ? getLatest.get(name) : getVersion.get(name, version)) as
        Row | undefined,
    )

  return {
    list: () => (listStmt.all() as Row[]).map(summary),
    get,
    findBySha: (sha) => full(bySha.get(sha) as Row | undefined),
    save: db.transaction((input: SaveUserPolicyInput): UserPolicy => {
      const at = now()
      let row = idOf.get(input.name) as { id: number; language: string } | undefined
      if (row && row.language !== input.language)
        throw new StoreError(
          'conflict',
          `The saved policy "${input.name}" is ${row.language}; save ${input.language} under another name.`,
        )
      if (!row) {
        const { lastInsertRowid } = insertPolicy.run(input.name, input.language, at, at)
        row = { id: Number(lastInsertRowid), language: input.language }
      } else {
        const current = get(input.name)
        if (current && current.sourceSha256 === input.sourceSha256) return current
        touch.run(at, row.id)
      }
      insertVersion.run(
        row.id,
        row.id,
        input.source,
        input.sourceSha256,
        input.title,
        input.description,
        at,
      )
      return get(input.name)!
    }),
    delete: db.transaction((name: string) => deleteStmt.run(name).changes > 0),
  }
}
