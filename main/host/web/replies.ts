import type { ServerResponse } from 'node:http'
import type { ApiErrorCode, ApiErrorData, ApiReply } from '../../../shared/api'

/** HTTP status per error code; the JSON body carries the typed error whatever the status. */
export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  'invalid-input': 400,
  'unknown-method': 404,
  'not-found': 404,
  conflict: 409,
  unauthorized: 401,
  unavailable: 503,
  internal: 500,
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  })
  res.end(text)
}

export function sendReply(res: ServerResponse, reply: ApiReply<unknown>): void {
  sendJson(res, reply.ok ? 200 : HTTP_STATUS[reply.error.code], reply)
}

/** A typed error with an explicit status (401/403/405/413/415 are transport-level). */
export function sendError(
  res: ServerResponse,
  status: number,
  error: ApiErrorData,
  headers: Record<string, string> = {},
): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  sendJson(res, status, { ok: false, error } satisfies ApiReply<never>)
}
