import type { RedisOptions as BullRedisOptions } from 'bullmq'
import { Redis } from 'ioredis'
import { ApiError } from '../../../shared/api'
import type { QueueAddress } from './redis-url'

/** ioredis options for BullMQ: blocking commands need maxRetriesPerRequest null. */
export function connectionOptions(address: QueueAddress): BullRedisOptions {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    username: address.username,
    password: address.password,
    maxRetriesPerRequest: null,
    ...(address.tls ? { tls: {} } : {}),
  }
}

/**
 * Pings the queue's Redis once, with a deadline, before anything is submitted or stored: an
 * unreachable or misconfigured server is one clear sentence (credentials never printed), not a
 * client retrying forever.
 */
export async function checkReachable(address: QueueAddress, timeoutMs = 3000): Promise<void> {
  const client = new Redis({
    ...connectionOptions(address),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  })
  // ioredis rejects connect() with "Connection is closed"; the cause comes as an 'error' event.
  let cause: unknown = null
  client.on('error', (err) => (cause ??= err))
  try {
    await withDeadline(client.connect(), timeoutMs)
    await withDeadline(client.ping(), timeoutMs)
  } catch (err) {
    const reason = cause ?? err
    const detail = reason instanceof Error ? reason.message : String(reason)
    if (/NOAUTH/i.test(detail) && address.password === undefined) {
      const host = address.display.replace(/^rediss?:\/\//, '')
      throw new ApiError(
        'invalid-input',
        `--queue: Redis at ${address.display} asks for a password; give it in the URL, ${address.tls ? 'rediss' : 'redis'}://:PASSWORD@${host}`,
      )
    }
    if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(detail)) {
      throw new ApiError(
        'invalid-input',
        `--queue: Redis at ${address.display} refused the credentials in the URL; check the user and password`,
      )
    }
    const code = (reason as { code?: string }).code ?? /(E[A-Z]+)/.exec(detail)?.[1] ?? 'no answer'
    throw new ApiError(
      'invalid-input',
      `--queue: cannot reach Redis at ${address.display} (${code}); start redis-server there or fix the host and port`,
    )
  } finally {
    client.disconnect()
  }
}

/** What withDeadline rejects with when the time ran out. */
export class DeadlineError extends Error {}

/** The promise's outcome, or a DeadlineError after `ms` (the promise itself goes on). */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineError(`ETIMEDOUT after ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}
