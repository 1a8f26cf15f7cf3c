import { ApiError, type ApiErrorCode, type ApiErrorData } from '../../shared/api'
import { StoreError } from '../store'

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
export function toApiErrorData(err: unknown, method: string): ApiErrorData {
  if (err instanceof ApiError) return err.toData()
  if (err instanceof StoreError) {
    return { code: STORE_CODES[err.code] ?? 'unavailable', message: err.message }
  }
  console.error(`tierlab: ${method} failed:`, err)
  return {
    code: 'internal',
    message: `${method} failed with an internal error; the Tierlab process log has the details`,
  }
}
