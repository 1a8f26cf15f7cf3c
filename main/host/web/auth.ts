import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const TOKEN_COOKIE = 'tierlab_token'

/** 24 random bytes, base64url: 32 characters, safe in a URL, a header and a cookie. */
export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Compares through fixed-length digests so neither content nor length leaks through timing. */
export function sameToken(candidate: string, token: string): boolean {
  const a = createHash('sha256').update(candidate).digest()
  const b = createHash('sha256').update(token).digest()
  return timingSafeEqual(a, b)
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}

export type TokenSource = 'header' | 'query' | 'cookie'

/**
 * Which credential carried the right token, or null. The most explicit one present decides
 * (header, then query, then cookie): a fresh `?token=` must win over a stale cookie left by an
 * earlier start, and is then answered with a new cookie.
 */
export function authenticate(req: IncomingMessage, url: URL, token: string): TokenSource | null {
  const auth = req.headers.authorization
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth)
    return m && sameToken(m[1], token) ? 'header' : null
  }
  const query = url.searchParams.get('token')
  if (query !== null) return sameToken(query, token) ? 'query' : null
  const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE)
  if (cookie !== null) return sameToken(cookie, token) ? 'cookie' : null
  return null
}

/**
 * DNS-rebinding defence: a page on evil.example that rebinds its name to 127.0.0.1 still sends
 * `Host: evil.example`, so only our own host names are served.
 */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`
}

/** A browser's Origin, when sent, must be this server (a cross-site fetch never is). */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
}
