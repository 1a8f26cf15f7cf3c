import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServiceEvents } from '../../services'

/** Proxies and idle timers drop silent connections; a comment line every 15 s keeps them open. */
export const HEARTBEAT_MS = 15_000

export interface EventStreams {
  /** Starts a Server-Sent Events stream of ApiEvents on this response. */
  open(req: IncomingMessage, res: ServerResponse): void
  /** Ends every open stream. */
  closeAll(): void
}

/**
 * Every ApiEvent goes out as an unnamed SSE message whose data is the event's JSON, so a client
 * needs only `new EventSource('/api/events').onmessage`.
 */
export function createEventStreams(
  events: ServiceEvents,
  heartbeatMs = HEARTBEAT_MS,
): EventStreams {
  const open = new Set<() => void>()
  return {
    open(req, res) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      })
      // The first bytes flush the headers, so the client's `open` fires at once.
      res.write('retry: 2000\n: connected\n\n')
      const unsubscribe = events.on((event) => {
        res.write(`data: ${JSON.stringify(event)}\n\n`)
      })
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs)
      const close = () => {
        if (!open.delete(close)) return
        clearInterval(heartbeat)
        unsubscribe()
        res.end()
      }
      open.add(close)
      // Either side may report the end first, depending on who hung up.
      req.on('close', close)
      res.on('close', close)
      res.on('error', close)
    },
    closeAll() {
      for (const close of [...open]) close()
    },
  }
}
