import { getEventListeners } from 'node:events'
import { existsSync } from 'node:fs'
import { deflateRawSync } from 'node:zlib'
import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  checkReachable,
  parseQueueUrl,
  QUEUE_NAME,
  runRemoteSweep,
  startQueueWorker,
  type QueueWorker,
} from '../../../../../main/services/queue'
import { encodeResult } from '../../../../../main/services/queue/result-codec'
import { openStore } from '../../../../../main/store'
import { tempDb, type TempDb } from '../fixtures'
import { createFakeWorker, fakeName } from '../runs/fake-worker'
import { experimentDoc } from '../runs/helpers'
import { startRedis, type RedisServer } from './redis-server'

// Real redis-server (Debian's) on a free loopback port; every test is bounded and the server is
// stopped in afterAll whatever happened.
let redis: RedisServer
let db: TempDb
const workers: QueueWorker[] = []

beforeAll(async () => {
  redis = await startRedis()
}, 20_000)
afterAll(async () => {
  await redis?.stop()
})
beforeEach(async () => {
  db = tempDb()
  const client = new Redis(redis.port, '127.0.0.1')
  await client.flushall()
  client.disconnect()
})
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()))
  db.cleanup()
})

const address = () => parseQueueUrl(redis.url)
// The real method, for spies that count calls and pass them on.
const realGetJobState = Queue.prototype.getJobState

async function worker(options: { engineVersion?: string; concurrency?: number } = {}) {
  const w = await startQueueWorker({
    address: address(),
    concurrency: options.concurrency ?? 1,
    createWorker: createFakeWorker,
    engineVersion: options.engineVersion,
    lockMs: 2000,
  })
  workers.push(w)
  return w
}

const grid = (values: number[]) => [{ knob: 'durationS', values }]

describe('a sweep on the Redis queue (fake simulation workers)', () => {
  it('lands every run once in the submitter database; resubmitting adds nothing', async () => {
    await worker()
    await worker()
    const request = {
      experiment: experimentDoc(fakeName('finish', 3, 5)),
      grid: grid([1, 2, 3]),
      replicates: 2,
      confirmed: false,
    }
    const first = await runRemoteSweep({
      dbPath: db.dbPath,
      address: address(),
      request,
      pollMs: 200,
    })
    expect(first.added).toBe(6)
    expect(first.runs.map((r) => r.status)).toEqual(Array(6).fill('done'))
    expect(new Set(first.runs.map((r) => r.jobId)).size).toBe(6)
    expect(first.runs[0]).toMatchObject({
      queueUrl: redis.url,
      sweepPoint: { durationS: 1 },
      replicate: 0,
      batch: first.batch,
    })
    // Replicates of a point share a group; points do not.
    expect(first.runs[0].groupKey).toBe(first.runs[1].groupKey)
    expect(first.runs[0].groupKey).not.toBe(first.runs[2].groupKey)

    const again = await runRemoteSweep({
      dbPath: db.dbPath,
      address: address(),
      request,
      pollMs: 200,
    })
    expect(again.added).toBe(0)
    expect(again.runs.map((r) => r.id)).toEqual(first.runs.map((r) => r.id))
    const store = openStore(db.dbPath)
    expect(store.runs.count()).toBe(6)
    store.close()
  }, 60_000)

  it('leaves no abort listener behind however many times it polls (no MaxListenersExceededWarning)', async () => {
    await worker()
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`)
    process.on('warning', onWarning)
    const abort = new AbortController()
    try {
      // Each job takes ~0.3 s and the submitter polls every 5 ms: dozens of polls, each of which
      // used to add a listener to the sweep-long signal.
      const result = await runRemoteSweep({
        dbPath: db.dbPath,
        address: address(),
        request: {
          experiment: experimentDoc(fakeName('finish', 10, 30)),
          grid: grid([1, 2]),
          replicates: 1,
          confirmed: false,
        },
        pollMs: 5,
        signal: abort.signal,
      })
      expect(result.runs.map((r) => r.status)).toEqual(['done', 'done'])
      expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0)
      // Node emits warnings on the next tick.
      await new Promise((r) => setImmediate(r))
      expect(warnings.filter((w) => /MaxListeners/.test(w))).toEqual([])
    } finally {
      process.off('warning', onWarning)
    }
  }, 60_000)

  it('records a job that failed three times as a failed run with its error', async () => {
    await worker()
    const result = await runRemoteSweep({
      dbPath: db.dbPath,
      address: address(),
      request: {
        experiment: experimentDoc(fakeName('throw')),
        grid: grid([1]),
        replicates: 1,
        confirmed: false,
      },
      pollMs: 200,
    })
    expect(result.runs).toHaveLength(1)
    expect(result.runs[0].status).toBe('failed')
    expect(result.runs[0].error).toMatch(/^failed 3 times on the queue: impossible experiment \d+/)
  }, 60_000)

  it('fails a run whose result arrives with numbers that do not unpack, saying why', async () => {
    // A worker that returns the packed form with its numbers cut short (a corrupt result).
    const rogue = new Worker(
      QUEUE_NAME,
      async () => {
        const result = encodeResult(
          {
            summary: {},
            processes: [],
            nodes: [],
            series: [{ key: 'k', label: 'K', unit: 'u', t: [1, 2], values: [3, 4] }],
            heatmap: null,
            cancelled: false,
          },
          1,
          'rogue:1',
        )
        return { ...result, floats: deflateRawSync(Buffer.alloc(8)).toString('base64') }
      },
      { connection: { host: '127.0.0.1', port: redis.port } },
    )
    try {
      const result = await runRemoteSweep({
        dbPath: db.dbPath,
        address: address(),
        request: {
          experiment: experimentDoc(fakeName('finish')),
          grid: grid([1, 2]),
          replicates: 1,
          confirmed: false,
        },
        pollMs: 200,
      })
      expect(result.runs.map((r) => r.status)).toEqual(['failed', 'failed'])
      expect(result.runs[0].error).toBe(
        'the worker returned a malformed result (its numbers are 8 bytes, but its series declare 32); run the sweep again',
      )
    } finally {
      await rogue.close()
    }
  }, 60_000)

  it('a worker of another engine version refuses the job, says why, and leaves it for others', async () => {
    const old = await worker({ engineVersion: '0.0.1' })
    const sweep = runRemoteSweep({
      dbPath: db.dbPath,
      address: address(),
      request: {
        experiment: experimentDoc(fakeName('finish')),
        grid: grid([1]),
        replicates: 1,
        confirmed: false,
      },
      pollMs: 200,
    })
    const { refused } = await old.stopped
    expect(refused).toMatch(
      /this worker runs engine 0\.0\.1, but job tl-[0-9a-f]+ .* was submitted for engine \d/,
    )
    // The refusal used no attempt: a worker of the right engine then runs it once.
    await worker()
    const result = await sweep
    expect(result.runs[0].status).toBe('done')
    const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } })
    const job = await queue.getJob(result.runs[0].jobId!)
    // One attempt made in all: the successful one; the refusal used none.
    expect(job?.attemptsMade).toBe(1)
    await queue.close()
  }, 60_000)

  it('two sweeps sharing a queue each collect only their own runs', async () => {
    await worker({ concurrency: 2 })
    const other = tempDb()
    try {
      const request = (values: number[]) => ({
        experiment: experimentDoc(fakeName('finish', 3, 5)),
        grid: grid(values),
        replicates: 1,
        confirmed: false,
      })
      const [a, b] = await Promise.all([
        runRemoteSweep({
          dbPath: db.dbPath,
          address: address(),
          request: request([1, 2]),
          pollMs: 200,
        }),
        runRemoteSweep({
          dbPath: other.dbPath,
          address: address(),
          request: request([3, 4, 5]),
          pollMs: 200,
        }),
      ])
      expect(a.runs.map((r) => r.sweepPoint)).toEqual([{ durationS: 1 }, { durationS: 2 }])
      expect(b.runs.map((r) => r.sweepPoint)).toEqual([
        { durationS: 3 },
        { durationS: 4 },
        { durationS: 5 },
      ])
      for (const [file, n] of [
        [db.dbPath, 2],
        [other.dbPath, 3],
      ] as const) {
        const store = openStore(file)
        expect(store.runs.list().map((r) => r.status)).toEqual(Array(n).fill('done'))
        store.close()
      }
    } finally {
      other.cleanup()
    }
  }, 60_000)

  it('a sweep still collects a job it shares with another sweep that was cancelled', async () => {
    // No worker yet: both sweeps submit the same job (same experiment, seed, engine), then A is
    // cancelled, which takes the still-waiting job out of the queue. B must not wait forever.
    const other = tempDb()
    try {
      const request = {
        experiment: experimentDoc(fakeName('finish')),
        grid: grid([7]),
        replicates: 1,
        confirmed: false,
      }
      const abortA = new AbortController()
      let submitted = 0
      const onUpdate = () => void submitted++
      const a = runRemoteSweep({
        dbPath: db.dbPath,
        address: address(),
        request,
        pollMs: 200,
        signal: abortA.signal,
        onUpdate,
      })
      const b = runRemoteSweep({
        dbPath: other.dbPath,
        address: address(),
        request,
        pollMs: 200,
        onUpdate,
      })
      while (submitted < 2) await new Promise((r) => setTimeout(r, 20))
      abortA.abort()
      expect((await a).cancelled).toBe(true)
      await worker()
      const outcome = await Promise.race([
        b,
        new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 15_000)),
      ])
      expect(outcome === 'stuck' ? outcome : outcome.runs.map((r) => r.status)).toEqual(['done'])
    } finally {
      other.cleanup()
    }
  }, 60_000)

  it('polls a large waiting sweep a slice at a time, not every job on every poll', async () => {
    // 300 jobs and no worker: the first poll reads every job (results may be waiting in Redis
    // from an earlier submission), later ones a bounded slice, so a sweep of thousands does not
    // keep the submitter and Redis busy while the workers compute.
    const reads: number[] = []
    const spy = vi.spyOn(Queue.prototype, 'getJobState').mockImplementation(async function (
      this: Queue,
      jobId: string,
    ) {
      reads.push(performance.now())
      return realGetJobState.call(this, jobId)
    })
    const abort = new AbortController()
    try {
      const sweep = runRemoteSweep({
        dbPath: db.dbPath,
        address: address(),
        request: {
          experiment: experimentDoc(fakeName('finish')),
          grid: grid(Array.from({ length: 300 }, (_, i) => i + 1)),
          replicates: 1,
          confirmed: false,
        },
        pollMs: 1000,
        signal: abort.signal,
      })
      // Polls are bursts of reads 1 s apart: wait for the third burst to start.
      const bursts = () =>
        reads.reduce<number[]>((acc, t, i) => {
          if (i === 0 || t - reads[i - 1] > 500) acc.push(0)
          acc[acc.length - 1]++
          return acc
        }, [])
      while (bursts().length < 3) await new Promise((r) => setTimeout(r, 50))
      abort.abort()
      await sweep
      const [first, second] = bursts()
      expect(first).toBe(300)
      expect(second).toBeLessThanOrEqual(100)
    } finally {
      spy.mockRestore()
    }
  }, 60_000)

  it('an unreachable queue or an unconfirmed huge grid writes nothing', async () => {
    const request = {
      experiment: experimentDoc(fakeName('finish')),
      grid: grid([1]),
      replicates: 1,
      confirmed: false,
    }
    await expect(
      runRemoteSweep({
        dbPath: db.dbPath,
        address: parseQueueUrl('redis://user:hunter2@127.0.0.1:1'),
        request,
      }),
    ).rejects.toThrow(/^--queue: cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/)
    const huge = {
      ...request,
      grid: [
        { knob: 'durationS', values: Array.from({ length: 100 }, (_, i) => i + 1) },
        { knob: 'epochMs', values: Array.from({ length: 1000 }, (_, i) => i + 1) },
      ],
    }
    await expect(
      runRemoteSweep({ dbPath: db.dbPath, address: address(), request: huge }),
    ).rejects.toThrow(
      'the sweep has 100,000 runs (100 × 1000 points × 1 replicate), more than 1,000; check the grid and confirm with --yes',
    )
    expect(existsSync(db.dbPath)).toBe(false)
  }, 30_000)

  it('a Redis that goes away mid-sweep ends the wait with one sentence; the runs stay queued', async () => {
    // A server of its own, stopped while the sweep waits (no worker takes its jobs).
    const lost = await startRedis()
    try {
      let submitted!: () => void
      const wasSubmitted = new Promise<void>((resolve) => (submitted = resolve))
      const sweep = runRemoteSweep({
        dbPath: db.dbPath,
        address: parseQueueUrl(lost.url),
        request: {
          experiment: experimentDoc(fakeName('finish')),
          grid: grid([1, 2, 3]),
          replicates: 1,
          confirmed: false,
        },
        pollMs: 100,
        lostAfterMs: 1500,
        onUpdate: () => submitted(),
      })
      const outcome = sweep.then(
        () => null,
        (err: unknown) => err,
      )
      await wasSubmitted
      const stoppedAt = Date.now()
      await lost.stop()
      const err = await outcome
      expect(err).toBeInstanceOf(Error)
      expect((err as Error).message).toBe(
        `--queue: Redis at ${parseQueueUrl(lost.url).display} has not answered for 1.5 s; 3 runs stay queued in the database: run the same command again once Redis is back to go on collecting`,
      )
      // Bounded: the deadline, a poll and the 2 s close fallbacks, not a client retrying forever.
      expect(Date.now() - stoppedAt).toBeLessThan(10_000)
      const store = openStore(db.dbPath)
      try {
        expect(store.runs.list().map((r) => r.status)).toEqual(['queued', 'queued', 'queued'])
      } finally {
        store.close()
      }
    } finally {
      await lost.stop()
    }
  }, 30_000)
})

describe('a queue that asks for a password', () => {
  it('says to add one when the URL has none, and never prints a wrong one', async () => {
    const locked = await startRedis(['--requirepass', 'right-one'])
    try {
      const at = (userinfo: string) => parseQueueUrl(`redis://${userinfo}127.0.0.1:${locked.port}`)
      await expect(checkReachable(at(''))).rejects.toThrow(
        `--queue: Redis at redis://127.0.0.1:${locked.port} asks for a password; give it in the URL, redis://:PASSWORD@127.0.0.1:${locked.port}`,
      )
      const wrong = await checkReachable(at(':hunter2@')).catch((err: Error) => err.message)
      expect(wrong).toBe(
        `--queue: Redis at redis://127.0.0.1:${locked.port} refused the credentials in the URL; check the user and password`,
      )
      await expect(checkReachable(at(':right-one@'))).resolves.toBeUndefined()
    } finally {
      await locked.stop()
    }
  }, 30_000)
})
