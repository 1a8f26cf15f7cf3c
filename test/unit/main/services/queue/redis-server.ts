import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'

/** Debian's redis-server; .ci/run installs it on a clean machine. */
export const REDIS_SERVER = '/usr/bin/redis-server'

export interface RedisServer {
  port: number
  /** The server's process id (the bench reads its CPU time). */
  pid: number
  url: string
  /** Stops the server and waits for it to exit (SIGKILL after 3 s). */
  stop(): Promise<void>
}

/** A free loopback port: bind port 0, read it, release it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts a throw-away redis-server on a free loopback port, without persistence, and waits until it
 * answers PING (at most 10 s). `extraArgs` go to redis-server (e.g. --requirepass). Call stop() in afterAll/finally so a failing test stops it too.
 */
export async function startRedis(extraArgs: string[] = []): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(
      `${REDIS_SERVER} is missing; install Debian's redis-server (apt-get install redis-server)`,
    )
  }
  const port = await freePort()
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      ...extraArgs,
    ],
    { stdio: 'ignore' },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    }
  }
  // A server started with --requirepass answers only a client that gives it.
  const passAt = extraArgs.indexOf('--requirepass')
  const requirePass = passAt >= 0 ? extraArgs[passAt + 1] : undefined
  const deadline = Date.now() + 10_000
  for (;;) {
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => null,
      password: requirePass,
    })
    client.on('error', () => undefined)
    try {
      await client.connect()
      if ((await client.ping()) === 'PONG') break
    } catch {
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`redis-server did not answer on port ${port} within 10 s`)
      }
      await new Promise((r) => setTimeout(r, 50))
    } finally {
      client.disconnect()
    }
  }
  return { port, pid: child.pid!, url: `redis://127.0.0.1:${port}`, stop }
}
