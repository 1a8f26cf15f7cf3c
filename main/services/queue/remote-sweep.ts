import { policyLabel } from '../../../shared/formats/experiment'
import { Job, Queue, QueueEvents } from 'bullmq'
import { ApiError } from '../../../shared/api'
import type { RunDetail } from '../../../shared/runs'
import { ENGINE_VERSION } from '../../engine'
import { openStore, StoreError, type Store } from '../../store'
import { createPresetSource } from '../experiments/catalog'
import { resolveResourcesDir } from '../resources'
import { planSweep, type SweepRequest } from '../runs/sweep-plan'
import { checkReachable, connectionOptions, DeadlineError, withDeadline } from './connection'
import { JOB_ATTEMPTS, jobResultSchema, QUEUE_NAME, type JobData, type JobResult } from './jobs'
import { decodeResult, ResultDecodeError } from './result-codec'
import type { QueueAddress } from './redis-url'

export interface RemoteSweepProgress {
  done: number
  failed: number
  total: number
}

export interface RemoteSweepOptions {
  dbPath: string
  address: QueueAddress
  request: SweepRequest
  tags?: string[]
  resourcesDir?: string
  /** Called whenever a run of the sweep lands (done or failed). */
  onUpdate?: (progress: RemoteSweepProgress) => void
  /** Aborting stops waiting: jobs not yet taken are removed, unfinished runs marked cancelled. */
  signal?: AbortSignal
  /** How often job states are re-read in case an event was missed, ms. */
  pollMs?: number
  /**
   * A poll that gets no answer from Redis for this long ends the wait with an error, ms: the
   * client would otherwise retry forever while the runs stay queued (default 60 000).
   */
  lostAfterMs?: number
  /** Completed and failed jobs stay in Redis this long, s, so resubmissions find them. */
  keepJobsS?: number
}

export interface RemoteSweepResult {
  batch: string
  /** Runs of this sweep in plan order (reused ones included). */
  runs: RunDetail[]
  /** Runs this submission created; the others were already in the database. */
  added: number
  cancelled: boolean
}

interface Entry {
  jobId: string
  runId: number
  /** Created by this submission (a failed job in Redis is then retried once). */
  created: boolean
  settled: boolean
}

/** Jobs one poll reads after the first (which reads them all). */
const POLL_SLICE = 100

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err))

/**
 * `tierlab sweep … --queue redis://…`: plans the sweep, stores its runs as queued (with their job
 * ids and the queue's address), submits one job per run and writes each result into the database
 * as it arrives. Job ids hash experiment + seed + engine version, so a resubmitted sweep adds no
 * job and no run, and a job done twice is written once.
 */
export async function runRemoteSweep(options: RemoteSweepOptions): Promise<RemoteSweepResult> {
  const { address } = options
  // Everything that can refuse the sweep happens before the database is touched.
  await checkReachable(address)
  const catalog = await createPresetSource(options.resourcesDir ?? resolveResourcesDir()).catalog()
  const plan = planSweep(options.request, catalog)
  const planned = plan.runs

  const store = openStore(options.dbPath)
  const connection = connectionOptions(address)
  const queue = new Queue<JobData>(QUEUE_NAME, { connection })
  const events = new QueueEvents(QUEUE_NAME, { connection })
  queue.on('error', () => undefined)
  events.on('error', () => undefined)
  try {
    const entries: Entry[] = store.transaction(() =>
      planned.map((run) => {
        const existing = store.runs.findJobRun(run.jobId)
        if (existing) {
          return {
            jobId: run.jobId,
            runId: existing.id,
            created: false,
            settled: existing.status === 'done',
          }
        }
        const record = store.runs.create({
          name: run.name,
          experiment: run.experiment,
          engineVersion: ENGINE_VERSION,
          seed: run.experiment.seed,
          policyId: policyLabel(run.experiment.policy),
          topologyName: run.experiment.topology.name,
          workloadName: run.experiment.workload.name,
          tags: [...(run.experiment.tags ?? []), ...(options.tags ?? [])],
          notes: run.experiment.notes,
          batch: plan.batch,
          sweepPoint: run.point,
          replicate: run.replicate,
          jobId: run.jobId,
          queueUrl: address.display,
        })
        return { jobId: run.jobId, runId: record.id, created: true, settled: false }
      }),
    )
    const batch = entries.some((e) => e.created) ? plan.batch : batchOf(store, entries, plan.batch)
    const added = entries.filter((e) => e.created).length
    const byJob = new Map(entries.map((e) => [e.jobId, e]))
    let failed = 0
    const report = () =>
      options.onUpdate?.({
        done: entries.filter((e) => e.settled).length - failed,
        failed,
        total: entries.length,
      })

    const startedAtMs = Date.now()
    await events.waitUntilReady()
    const keep = { age: options.keepJobsS ?? 7 * 24 * 3600 }
    const jobOf = (run: (typeof planned)[number]) => ({
      name: 'run',
      data: { experiment: run.experiment, engineVersion: ENGINE_VERSION, name: run.name },
      opts: {
        jobId: run.jobId,
        attempts: JOB_ATTEMPTS,
        backoff: { type: 'fixed' as const, delay: 500 },
        removeOnComplete: keep,
        removeOnFail: keep,
      },
    })
    const plannedByJob = new Map(planned.map((run) => [run.jobId, run]))
    const toSubmit = planned.filter((run) => !byJob.get(run.jobId)!.settled)
    // addBulk ignores ids already in the queue: a job another sweep submitted is shared.
    for (let i = 0; i < toSubmit.length; i += 500) {
      await queue.addBulk(toSubmit.slice(i, i + 500).map(jobOf))
    }
    report()

    const retried = new Set<string>()
    /** Reads one job's state and lands its result or failure; false while it is still live. */
    const collect = async (entry: Entry): Promise<void> => {
      if (entry.settled) return
      // State first, then the job: read the other way round, a job finishing in between shows
      // 'completed' with the return value it had while active (none).
      const state = await queue.getJobState(entry.jobId)
      if (state === 'unknown') {
        // Gone from Redis while this sweep waits for it: another sweep sharing the job was
        // cancelled and took it out of the queue, or the server lost it. Submit it again (a no-op
        // if someone else just did), else this sweep would wait for it forever.
        const run = plannedByJob.get(entry.jobId)!
        const { name, data, opts } = jobOf(run)
        await queue.add(name, data, opts)
        return
      }
      if (state === 'active') markRunning(store, entry.runId)
      if (state !== 'completed' && state !== 'failed') return
      const job = await Job.fromId(queue, entry.jobId)
      if (!job) return // removed from Redis meanwhile
      if (state === 'completed') {
        const parsed = jobResultSchema.safeParse(job.returnvalue)
        const landed = settle(entry, () =>
          parsed.success
            ? finish(store, entry.runId, parsed.data)
            : failMalformed(store, entry.runId, parsed.error.issues[0]?.message),
        )
        if (!landed) failed++
        report()
      } else if (state === 'failed') {
        if (entry.created && !retried.has(entry.jobId) && job.finishedOn! < startedAtMs) {
          // Failed in an earlier submission: this one asked again, so it gets fresh attempts.
          retried.add(entry.jobId)
          await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
          return
        }
        settle(entry, () => {
          store.runs.fail(
            entry.runId,
            `failed ${job.attemptsMade} time${job.attemptsMade === 1 ? '' : 's'} on the queue: ${job.failedReason || 'no reason given'}`,
          )
        })
        failed++
        report()
      }
    }

    const pending = () => entries.filter((e) => !e.settled)
    let wake: (() => void) | null = null
    const onEvent = ({ jobId }: { jobId: string }) => {
      const entry = byJob.get(jobId)
      if (entry && !entry.settled)
        void collect(entry).then(
          () => wake?.(),
          () => wake?.(),
        )
    }
    // The completion event carries the result: land it without another round trip to Redis
    // (the poll below re-reads anything this path could not parse).
    events.on('completed', ({ jobId, returnvalue }) => {
      const entry = byJob.get(jobId)
      if (!entry || entry.settled) return
      const parsed = jobResultSchema.safeParse(
        typeof returnvalue === 'string' ? safeJson(returnvalue) : returnvalue,
      )
      if (!parsed.success) {
        onEvent({ jobId })
        return
      }
      if (!settle(entry, () => finish(store, entry.runId, parsed.data))) failed++
      report()
      wake?.()
    })
    events.on('failed', onEvent)
    events.on('active', ({ jobId }) => {
      const entry = byJob.get(jobId)
      if (entry && !entry.settled) markRunning(store, entry.runId)
    })

    const pollMs = options.pollMs ?? 2000
    const lostAfterMs = options.lostAfterMs ?? 60_000
    let polls = 0
    let cursor = 0
    let cancelled = false
    while (pending().length > 0) {
      if (options.signal?.aborted) {
        cancelled = true
        await cancelPending(queue, store, pending())
        break
      }
      // The poll is the truth when an event was missed (a reconnect, a job finished before
      // this submitter listened, a job shared with another sweep). The first reads every job;
      // later ones a slice in turn: reading all of 2,000 waiting jobs every 2 s cost the
      // submitter 11 % of a core and Redis 6 %, taken from the workers on a shared machine.
      const waiting = pending()
      const first = polls++ === 0
      const start = first ? 0 : cursor % waiting.length
      const count = first ? waiting.length : Math.min(POLL_SLICE, waiting.length)
      await withDeadline(
        (async () => {
          for (let i = 0; i < count; i++) await collect(waiting[(start + i) % waiting.length])
        })(),
        lostAfterMs,
      ).catch((err: unknown) => {
        if (!(err instanceof DeadlineError)) throw err
        const queued = pending().length
        throw new ApiError(
          'unavailable',
          `--queue: Redis at ${address.display} has not answered for ${lostAfterMs / 1000} s; ${queued} run${queued === 1 ? '' : 's'} stay queued in the database: run the same command again once Redis is back to go on collecting`,
        )
      })
      cursor = start + count
      if (pending().length === 0) break
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          // Removed on every way out: one listener per poll on the sweep-long signal added up to
          // Node's MaxListenersExceededWarning while a SIGKILLed worker's lock ran out.
          options.signal?.removeEventListener('abort', done)
          resolve()
        }
        const timer = setTimeout(done, pollMs)
        wake = () => {
          if (pending().length === 0) done()
        }
        options.signal?.addEventListener('abort', done, { once: true })
      })
      wake = null
    }
    const runs = entries.map((e) => store.runs.get(e.runId)!).filter(Boolean)
    return { batch, runs, added, cancelled }
  } finally {
    // A lost server would keep close() waiting for a reply: after 2 s drop the connection.
    await withDeadline(events.close(), 2000).catch(() => events.disconnect().catch(() => {}))
    await withDeadline(queue.close(), 2000).catch(() => queue.disconnect().catch(() => {}))
    store.close()
  }
}

/** A resubmission that added nothing reports the batch its runs already belong to. */
function batchOf(store: Store, entries: Entry[], fallback: string): string {
  const first = entries[0] ? store.runs.get(entries[0].runId) : null
  return first?.batch ?? fallback
}

function markRunning(store: Store, runId: number): void {
  try {
    if (store.runs.get(runId)?.status === 'queued') store.runs.markRunning(runId)
  } catch {
    // Another submitter sharing this database moved it on first.
  }
}

/** A result that cannot be read fails its run (false: not landed as done). */
function failMalformed(store: Store, runId: number, why: string | undefined): false {
  store.runs.fail(runId, `the worker returned a malformed result (${why}); run the sweep again`)
  return false
}

/**
 * The run's result in one transaction: queued or running → done, with series and heatmap; a
 * result whose numbers do not unpack fails the run instead (false).
 */
function finish(store: Store, runId: number, encoded: JobResult): boolean {
  let result: ReturnType<typeof decodeResult>
  try {
    result = decodeResult(encoded)
  } catch (err) {
    if (err instanceof ResultDecodeError) return failMalformed(store, runId, err.message)
    throw err
  }
  store.transaction(() => {
    if (store.runs.get(runId)?.status === 'queued') store.runs.markRunning(runId)
    store.runs.finish(runId, {
      summary: result.summary,
      processes: result.processes,
      nodes: result.nodes,
      warnings: result.warnings,
      series: result.series,
      heatmap: result.heatmap,
      wallMs: result.wallMs,
    })
  })
  return true
}

/**
 * Lands a job once: a conflict means another submitter sharing this database already wrote the
 * run (the job was delivered to both), which counts as landed, not as an error. False when
 * `write` recorded the run as failed.
 */
function settle(entry: Entry, write: () => boolean | void): boolean {
  let landed = true
  try {
    landed = write() !== false
  } catch (err) {
    if (!(err instanceof StoreError && err.code === 'conflict')) {
      console.error(`tierlab: cannot record run ${entry.runId}: ${describe(err)}`)
    }
  }
  entry.settled = true
  return landed
}

async function cancelPending(queue: Queue, store: Store, entries: Entry[]): Promise<void> {
  for (const entry of entries) {
    const job = await Job.fromId(queue, entry.jobId).catch(() => undefined)
    const state = await job?.getState().catch(() => 'unknown')
    // Jobs a worker holds finish there; their results wait in Redis for a resubmission.
    if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
      await job.remove().catch(() => undefined)
    }
    try {
      store.runs.cancel(entry.runId)
    } catch {
      // already over
    }
    entry.settled = true
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}
