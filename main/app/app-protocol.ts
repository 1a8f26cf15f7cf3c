import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Protocol } from 'electron'
import { CONTENT_SECURITY_POLICY } from './security'

/**
 * The built renderer is served from app://tierlab/ rather than file:// (Electron security
 * checklist item 18): a file:// page may read any file the user can, app:// pages only what
 * the handler below hands out from out/renderer.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'tierlab'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}/`
export const APP_INDEX_URL = `${APP_ORIGIN}index.html`

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * Must run before app 'ready': standard (relative URLs and a real origin), secure (like https,
 * so module scripts and the CSP 'self' work), fetch allowed for our own assets.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    },
  ])
}

/** A `.` or `..` path segment, literal or percent-encoded, before the URL parser removes it. */
const RAW_DOT_SEGMENT = /(?:^|[/\\])(?:\.|%2e){1,2}(?:$|[/\\])/i

/**
 * The file under `rendererDir` an app:// URL names, or undefined when the URL is not ours or
 * would leave the folder. Checked on the raw path before decoding as well as after, so neither
 * `..` nor `%2e%2e`/`%2f`/`%5c` tricks get out; `/` maps to index.html.
 */
export function resolveAppRequestPath(rendererDir: string, requestUrl: string): string | undefined {
  // The URL parser folds `..` and `%2e%2e` away silently; a request that asked for them is refused
  // outright, as is any encoded separator, which no file of the bundle needs.
  const rawPath = requestUrl.split(/[?#]/, 1)[0]
  if (RAW_DOT_SEGMENT.test(rawPath) || /%2f|%5c/i.test(rawPath)) return undefined
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return undefined
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined
  if (url.username !== '' || url.password !== '') return undefined
  let decoded: string
  try {
    decoded = decodeURIComponent(url.pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined
  const segments = decoded.split('/')
  if (segments.some((segment) => segment === '..' || segment === '.')) return undefined
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const root = path.resolve(rendererDir)
  const resolved = path.resolve(root, relative)
  const inside = path.relative(root, resolved)
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return undefined
  return resolved
}

export type ReadAppFile = (filePath: string) => Promise<Uint8Array>

/** The protocol.handle handler: files from rendererDir with their type and our CSP, else 404. */
export function createAppProtocolHandler(
  rendererDir: string,
  read: ReadAppFile = readFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const notFound = () =>
      new Response('Not found', {
        status: 404,
        headers: {
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        },
      })
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound()
    const filePath = resolveAppRequestPath(rendererDir, request.url)
    if (filePath === undefined) return notFound()
    let body: Uint8Array
    try {
      body = await read(filePath)
    } catch {
      // Missing file, or a folder (EISDIR): either way there is nothing to serve.
      return notFound()
    }
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'Content-Type': contentTypeFor(filePath),
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
      },
    })
  }
}

/** After 'ready': serve the built renderer on app://. */
export function installAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir))
}
