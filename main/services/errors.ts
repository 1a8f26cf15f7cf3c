import { ApiError, type ApiErrorCode, type ApiErrorData } from '../../shared/api'
import { StoreError, storageFailure } from '../store'

/** How a store failure reaches a client: missing rows and clashes keep their meaning. */
const STORE_CODES: Record<StoreError['code'], ApiErrorCode> = {
  'not-found': 'not-found',
  conflict: 'conflict',
  corrupt: 'unavailable',
  foreign: 'unavailable',
  newer: 'unavailable',
  io: 'unavailable',
}

/**
 * Turns anything a handler threw into the typed error a transport sends. Unexpected errors are
 * logged with their stack to stderr and reach the client only as 'internal', so no stack trace,
 * path or SQL leaks over the wire.
 */
export function toApiErrorData(err: unknown, method: string, databasePath?: string): ApiErrorData {
  if (err instanceof ApiError) return err.toData()
  // A full disk or read-only file met mid-call (better-sqlite3 throws SqliteError) is the user's
  // to fix: say so, without a stack trace.
  const storage = databasePath === undefined ? null : storageFailure(databasePath, err)
  const store = err instanceof StoreError ? err : storage
  if (store) {
    return { code: STORE_CODES[store.code] ?? 'unavailable', message: store.message }
  }
  console.error(`tierlab: ${method} failed:`, err)
  return {
    code: 'internal',
    message: `${method} failed with an internal error; the Tierlab process log has the details`,
  }
}
