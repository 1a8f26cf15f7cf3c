import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { MAX_BUNDLE_BYTES } from '../../../shared/api/contract'
import type { Services } from '../../services'
import { handleApiCall } from './api-route'
import { authenticate, isAllowedHost, isAllowedOrigin, newToken, tokenCookie } from './auth'
import { sendError } from './replies'
import { setSecurityHeaders } from './security-headers'
import { defaultStaticDir } from './static-dir'
import { createEventStreams } from './sse'
import { createStaticHandler } from './static-files'
import { sendTokenPage, wantsPage } from './token-page'

/**
 * Room for the largest bundle runs.export writes (MAX_BUNDLE_BYTES), sent as runs.import's
 * `{"text": …}`: JSON-escaping the compact bundle text doubles at most its `"` and `\\`
 * characters (it holds no raw control characters), plus the envelope. Every other input is far
 * smaller (topology.import: 20 M characters).
 */
export const DEFAULT_MAX_BODY_BYTES = 2 * MAX_BUNDLE_BYTES + 64 * 1024

export interface WebHostOptions {
  services: Services
  /** 0 picks a free port. */
  port?: number
  /** The built renderer; defaults to the project's out/renderer. */
  staticDir?: string
  /** Fixed token (tests); a fresh random one per start otherwise. */
  token?: string
  maxBodyBytes?: number
  heartbeatMs?: number
}

export interface WebHost {
  /** http://127.0.0.1:<port>/ (without the token). */
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const LOOPBACK = '127.0.0.1'

/**
 * The web mode's HTTP server: the API as `POST /api/<method>`, events as SSE on `/api/events`,
 * and the renderer's files. Bound to loopback only; every request needs the Host of this server
 * and the per-start token.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { services } = options
  const token = options.token ?? newToken()
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const streams = createEventStreams(services.events, options.heartbeatMs)
  const serveStatic = createStaticHandler(options.staticDir ?? defaultStaticDir())
  let port = 0

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res)
    if (!isAllowedHost(req.headers.host, port) || !isAllowedOrigin(req.headers.origin, port)) {
      sendError(res, 403, {
        code: 'unauthorized',
        message: `this server answers only to http://127.0.0.1:${port} and http://localhost:${port}`,
      })
      return
    }
    const raw = req.url ?? ''
    let url: URL
    try {
      if (!raw.startsWith('/')) throw new Error('not origin-form')
      url = new URL(raw, `http://${LOOPBACK}:${port}`)
    } catch {
      sendError(res, 400, { code: 'invalid-input', message: 'the request target is not a path' })
      return
    }
    const source = authenticate(req, url, token)
    if (!source && wantsPage(req, url.pathname)) {
      sendTokenPage(res)
      return
    }
    if (!source) {
      sendError(res, 401, {
        code: 'unauthorized',
        message: 'missing or wrong token; open the URL that `tierlab serve` printed',
      })
      return
    }
    // The first page load brings ?token=; the cookie then carries it for assets and EventSource.
    if (source === 'query') res.setHeader('Set-Cookie', tokenCookie(token))

    // Route on the raw path: `/api/../x` must not be normalised into some other route.
    const path = raw.split('?')[0]
    if (path === '/api/events') {
      if (req.method !== 'GET') {
        sendError(
          res,
          405,
          { code: 'invalid-input', message: 'subscribe to /api/events with GET' },
          { Allow: 'GET' },
        )
        return
      }
      streams.open(req, res)
      return
    }
    if (path === '/api' || path.startsWith('/api/')) {
      await handleApiCall(req, res, services, path.slice('/api/'.length), maxBodyBytes)
      return
    }
    serveStatic(req, res)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('tierlab web host: request failed:', err)
      if (!res.headersSent) {
        sendError(res, 500, {
          code: 'internal',
          message: 'internal error; the Tierlab log has the details',
        })
      } else res.destroy()
    })
  })
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `port ${options.port} on ${LOOPBACK} is already in use; pick another with --port`,
            )
          : err,
      )
    }
    server.once('error', onError)
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', onError)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  let closing: Promise<void> | null = null
  return {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        streams.closeAll()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}
