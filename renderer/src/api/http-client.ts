import { z } from 'zod'
import type { ApiEvent, TierlabClient } from '../../../shared/api/contract'
import { ApiError } from '../../../shared/api/errors'
import { parseReply, unwrapReply } from './replies'

export interface HttpEnv {
  fetch: typeof fetch
  /** Opens the Server-Sent Events stream; the host authenticates it with its cookie. */
  openEvents: (url: string) => EventSourceLike
}

export interface EventSourceLike {
  onmessage: ((event: MessageEvent) => void) | null
  addEventListener(type: string, listener: (event: MessageEvent) => void): void
  close(): void
}

const EVENT_TYPES = [
  'run-progress',
  'run-status',
  'changed',
] as const satisfies readonly ApiEvent['type'][]
// A new ApiEvent type fails the type check here until it is listed above.
const _allEventTypes: [Exclude<ApiEvent['type'], (typeof EVENT_TYPES)[number]>] extends [never]
  ? true
  : never = true
void _allEventTypes

// The field every event has; the rest is typed by ApiEvent and produced by our own host.
const eventSchema = z.looseObject({ type: z.enum(EVENT_TYPES) })

/**
 * The client in web mode: `POST /api/<method>` with the JSON input and the bearer token, and
 * `GET /api/events` (SSE) for pushed events, opened on the first subscriber and closed after the last.
 */
export function createHttpClient(token: string | null, env: HttpEnv): TierlabClient {
  const listeners = new Set<(event: ApiEvent) => void>()
  let source: EventSourceLike | null = null

  function deliver(message: MessageEvent): void {
    let data: unknown
    try {
      data = JSON.parse(String(message.data))
    } catch {
      return // a keep-alive comment or a malformed line: nothing to tell the page
    }
    if (!eventSchema.safeParse(data).success) return
    for (const listener of [...listeners]) listener(data as ApiEvent)
  }

  return {
    async call(method, input) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' }
      if (token) headers.Authorization = `Bearer ${token}`
      let response: Response
      try {
        response = await env.fetch(`/api/${method}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        })
      } catch (e) {
        throw new ApiError(
          'unavailable',
          `Cannot reach the Tierlab host (${e instanceof Error ? e.message : String(e)}); check that \`tierlab serve\` is still running.`,
        )
      }
      let body: unknown
      try {
        body = await response.json()
      } catch {
        throw new ApiError(
          response.status === 401 ? 'unauthorized' : 'internal',
          response.status === 401
            ? 'The host refused the request: open the full URL that `tierlab serve` printed (it carries the token).'
            : `The host answered ${method} with HTTP ${response.status} and no API reply.`,
        )
      }
      return unwrapReply(parseReply(body, method))
    },
    onEvent(listener) {
      listeners.add(listener)
      if (!source) {
        source = env.openEvents('/api/events')
        source.onmessage = deliver
        // Named SSE events (`event: changed`) do not reach onmessage; listen for those too.
        for (const type of EVENT_TYPES) source.addEventListener(type, deliver)
      }
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0 && source) {
          source.close()
          source = null
        }
      }
    },
  }
}
