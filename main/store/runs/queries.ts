import type Database from 'better-sqlite3'
import {
  RECORD_COLUMNS,
  toRunDetail,
  toRunRecord,
  type DetailRow,
  type RecordRow,
} from './run-rows'
import type { ListRunsFilter, RunRepository } from './types'

/** Columns `text` searches, lower-cased once per row by SQLite (no JSON parsed). */
const TEXT_COLUMNS = ['name', 'policy_id', 'topology_name', 'workload_name', 'batch', 'notes']

/**
 * WHERE clause and parameters for a filter. Only present filters add a term, so SQLite can use the
 * status / policy_id indexes; every value is a bound parameter.
 */
function whereOf(filter: ListRunsFilter): { sql: string; params: Record<string, unknown> } {
  const terms: string[] = []
  const params: Record<string, unknown> = {}
  if (filter.status !== undefined) {
    terms.push('status = @status')
    params.status = filter.status
  }
  if (filter.policyId !== undefined) {
    terms.push('policy_id = @policyId')
    params.policyId = filter.policyId
  }
  if (filter.tag !== undefined) {
    terms.push('EXISTS (SELECT 1 FROM json_each(runs.tags_json) WHERE value = @tag)')
    params.tag = filter.tag
  }
  if (filter.batch !== undefined) {
    terms.push('batch = @batch')
    params.batch = filter.batch
  }
  if (filter.groupKey !== undefined) {
    terms.push('group_key = @groupKey')
    params.groupKey = filter.groupKey
  }
  const text = filter.text?.trim().toLowerCase()
  if (text) {
    terms.push(
      `(${TEXT_COLUMNS.map((c) => `instr(lower(coalesce(${c}, '')), @text) > 0`).join(' OR ')})`,
    )
    params.text = text
  }
  return { sql: terms.length ? `WHERE ${terms.join(' AND ')}` : '', params }
}

export function createRunQueries(
  db: Database.Database,
): Pick<RunRepository, 'list' | 'count' | 'get'> {
  const selectDetail = db.prepare(
    `SELECT ${RECORD_COLUMNS}, experiment_json, processes_json, nodes_json, warnings_json FROM runs
      WHERE id = ?`,
  )
  // Filters combine freely, so statements are prepared per distinct WHERE and reused.
  const cache = new Map<string, Database.Statement>()
  const prepared = (sql: string) => {
    let stmt = cache.get(sql)
    if (!stmt) {
      stmt = db.prepare(sql)
      cache.set(sql, stmt)
    }
    return stmt
  }

  return {
    list(filter = {}) {
      const { sql, params } = whereOf(filter)
      const rows = prepared(
        `SELECT ${RECORD_COLUMNS} FROM runs ${sql}
         ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`,
      ).all({ ...params, limit: filter.limit ?? -1, offset: filter.offset ?? 0 }) as RecordRow[]
      return rows.map(toRunRecord)
    },
    count(filter = {}) {
      const { sql, params } = whereOf(filter)
      return (prepared(`SELECT count(*) AS n FROM runs ${sql}`).get(params) as { n: number }).n
    },
    get(id) {
      const row = selectDetail.get(id) as DetailRow | undefined
      return row ? toRunDetail(row) : null
    },
  }
}
