import { ApiError } from '../../../shared/api'

/** Where a queue lives: connection options for BullMQ/ioredis and an address safe to print. */
export interface QueueAddress {
  host: string
  port: number
  db: number
  username?: string
  password?: string
  tls: boolean
  /** `redis://host:port[/db]`: never the credentials, so it can be printed and stored. */
  display: string
}

/**
 * The text of a URL with everything between its scheme and its last `@` (user:password) masked,
 * for error messages. Up to the last `@`, whatever lies between: a password holding '/' or '@',
 * or a mistyped scheme (`redis:/`, `redis//`), is exactly the text that does not parse and gets
 * shown.
 */
export function redactUrl(text: string): string {
  const at = text.lastIndexOf('@')
  if (at < 0) return text
  const scheme = /^[a-z][a-z0-9+.-]*:\/{0,2}/i.exec(text)?.[0] ?? ''
  return `${scheme}***${text.slice(at)}`
}

/**
 * Parses `--queue redis://[user:password@]HOST:PORT[/DB]` (or `rediss://` for TLS). Every error
 * names the option and the fix and shows the URL with its credentials masked.
 */
export function parseQueueUrl(text: string, option = '--queue'): QueueAddress {
  const shown = redactUrl(text)
  const bad = (why: string) =>
    new ApiError(
      'invalid-input',
      `${option}: "${shown}" ${why}; write it like redis://HOST:PORT (e.g. redis://127.0.0.1:6379)`,
    )
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw bad(
      text.includes('@')
        ? 'is not a URL (in a password, write / @ # ? as %2F %40 %23 %3F)'
        : 'is not a URL',
    )
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw bad(`uses ${url.protocol.replace(/:$/, '')}, not redis`)
  }
  if (!url.hostname) throw bad('names no host')
  const port = url.port === '' ? 6379 : Number(url.port)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad('has no valid port')
  const dbText = url.pathname.replace(/^\//, '')
  if (dbText !== '' && !/^\d{1,2}$/.test(dbText))
    throw bad('has a path that is not a database number')
  const db = dbText === '' ? 0 : Number(dbText)
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const hostShown = host.includes(':') ? `[${host}]` : host
  return {
    host,
    port,
    db,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === 'rediss:',
    display: `${url.protocol}//${hostShown}:${port}${db ? `/${db}` : ''}`,
  }
}
