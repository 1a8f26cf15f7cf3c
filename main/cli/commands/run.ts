import { existsSync, rmdirSync, rmSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import cliProgress from 'cli-progress'
import type { Command } from 'commander'
import {
  ApiError,
  type ApiEvent,
  type ApiInput,
  type ApiMethod,
  type ApiOutput,
} from '../../../shared/api'
import { summariseIssues } from '../../../shared/formats'
import type { RunDetail, RunRecord, RunStatus } from '../../../shared/runs'
import { formatBytes } from '../../../shared/units'
import { dispatch, openServices, type Services } from '../../services'
import {
  databasePath,
  printJson,
  withCommonOptions,
  type CliIO,
  type CommonOptions,
} from '../context'
import { badInput, CliError, EXIT_BAD_INPUT, EXIT_FAILURE } from '../errors'
import { formatNumber, summaryRows } from '../format/metrics'
import { renderRows, renderTable } from '../format/table'
import { readTextFile } from '../read-document'
import { inlineScriptSource } from '../script-source'
import type { RegisterCommand } from './types'

/** Exit code of a run stopped with Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_CANCELLED = 130

const TERMINAL: readonly RunStatus[] = ['done', 'failed', 'cancelled', 'interrupted']

/** Reads an experiment (or any JSON) file; a syntax error names the file and the fix. */
export async function readJsonFile(file: string): Promise<unknown> {
  const text = await readTextFile(file)
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw badInput(`${file}: is not valid JSON (${(err as Error).message}); fix the syntax`)
  }
}

/** An invalid experiment is reported against the file the user named, not "experiment". */
export function relabel(err: unknown, file: string): unknown {
  if (err instanceof ApiError && err.code === 'invalid-input' && err.issues?.length) {
    return badInput(summariseIssues(file, err.issues))
  }
  return err
}

export function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > 2 ** 32 - 1) {
    throw badInput(`--seed: "${value}" is not a whole number from 0 to 4294967295; give a seed`)
  }
  return n
}

/**
 * Services for one command that starts runs: calls go through `dispatch` as the app's do, and
 * run-status events are kept so the command can wait for its runs. The simulation runs in the
 * services' worker pool, never on this thread.
 */
export interface RunSession {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>
  /** Resolves with each run's final record, in the order given. */
  settled(ids: number[]): Promise<RunDetail[]>
  onProgress(listener: (e: Extract<ApiEvent, { type: 'run-progress' }>) => void): void
  /** Ctrl-C cancels the runs (a second Ctrl-C stops at once); returns whether it was pressed. */
  cancelOnInterrupt(ids: () => number[], io: CliIO): { interrupted(): boolean }
  close(): void
}

/**
 * The database file and folders that opening `file` will create, outermost first: removed again
 * when the command archived nothing (DESIGN.md: a failed command never touches the database).
 */
function missingPaths(file: string): string[] {
  const missing: string[] = []
  for (let p = resolve(file); !existsSync(p); p = dirname(p)) {
    missing.unshift(p)
    if (dirname(p) === p) break
  }
  return missing
}

export function openRunSession(options: { db?: string }): RunSession {
  const dbPath = databasePath(options)
  const created = missingPaths(dbPath)
  const services: Services = openServices({ dbPath, host: 'web' })
  const statuses = new Map<number, RunStatus>()
  const waiters: Array<() => void> = []
  const progressListeners: Array<(e: Extract<ApiEvent, { type: 'run-progress' }>) => void> = []
  const off = services.events.on((e) => {
    if (e.type === 'run-status') {
      statuses.set(e.runId, e.status)
      for (const w of [...waiters]) w()
    } else if (e.type === 'run-progress') {
      for (const l of progressListeners) l(e)
    }
  })
  let sigint: (() => void) | null = null
  // Set once a call that writes succeeded; until then a database this session created is removed.
  let archivedAnything = false
  const call: RunSession['call'] = async (method, input) => {
    const reply = await dispatch(services, method, input)
    if (!reply.ok) throw ApiError.fromData(reply.error)
    if (method === 'runs.start' || method === 'runs.sweep' || method === 'runs.import')
      archivedAnything = true
    return reply.value as ApiOutput<typeof method>
  }
  return {
    call,
    async settled(ids) {
      const allDone = () => ids.every((id) => TERMINAL.includes(statuses.get(id) as RunStatus))
      if (!allDone()) {
        await new Promise<void>((resolve, reject) => {
          let over = false
          const finish = (err?: unknown) => {
            if (over) return
            over = true
            clearInterval(poll)
            waiters.splice(waiters.indexOf(check), 1)
            if (err) reject(err)
            else resolve()
          }
          const check = () => {
            if (allDone()) finish()
          }
          // Events are the fast path; the archive is the truth when another process (the app)
          // deletes or interrupts a run this one is waiting for.
          const poll = setInterval(() => {
            for (const id of ids) {
              if (TERMINAL.includes(statuses.get(id) as RunStatus)) continue
              call('runs.get', { id }).then(
                (run) => {
                  if (TERMINAL.includes(run.status)) {
                    statuses.set(id, run.status)
                    check()
                  }
                },
                (err: unknown) => finish(err),
              )
            }
          }, 1000)
          waiters.push(check)
        })
      }
      return Promise.all(ids.map((id) => call('runs.get', { id })))
    },
    onProgress: (l) => progressListeners.push(l),
    cancelOnInterrupt(ids, io) {
      let pressed = false
      sigint = () => {
        if (pressed) {
          // The second Ctrl-C: stop now; the next open marks the runs interrupted.
          process.exit(EXIT_CANCELLED)
        }
        pressed = true
        io.err('Cancelling… (press Ctrl-C again to stop at once)')
        for (const id of ids()) {
          if (!TERMINAL.includes(statuses.get(id) as RunStatus)) {
            call('runs.cancel', { id }).catch(() => undefined)
          }
        }
      }
      process.on('SIGINT', sigint)
      return { interrupted: () => pressed }
    },
    close() {
      if (sigint) process.off('SIGINT', sigint)
      off()
      services.close()
      if (created.length > 0 && !archivedAnything) removeCreated(created)
    },
  }
}

/** Removes the database (with its -wal and -shm) and the folders this session created. */
function removeCreated(created: string[]): void {
  const file = created[created.length - 1]
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true })
  for (const dir of created.slice(0, -1).reverse()) {
    try {
      rmdirSync(dir) // only if empty: another process may have put something there meanwhile
    } catch {
      break
    }
  }
}

/** A progress bar with ETA on stderr, only when stderr is a terminal. */
export function progressBar(io: { json?: boolean }, total: number, format: string) {
  if (io.json || !process.stderr.isTTY) return null
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `{bar} {percentage}% | ${format} | ETA {etaText}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  )
  bar.start(total, 0, { etaText: '…', simulatedS: 0, durationS: 0 })
  return bar
}

/**
 * Waits for a batch of runs with a bar of runs done (fractions of runs from their progress), as
 * `sweep` and `study` show it.
 */
export async function settleWithBar(
  session: RunSession,
  io: { json?: boolean },
  ids: number[],
): Promise<RunDetail[]> {
  const bar = progressBar(io, ids.length, '{value}/{total} runs')
  const simulated = new Map<number, number>()
  session.onProgress((e) => {
    simulated.set(e.runId, e.simulatedS / e.durationS)
    let sum = 0
    for (const f of simulated.values()) sum += f
    bar?.update(Math.floor(sum * 10) / 10, { etaText: '…' })
  })
  const runs = await session.settled(ids)
  bar?.stop()
  return runs
}

export const formatEta = (etaS: number | null) =>
  etaS === null
    ? '…'
    : etaS < 60
      ? `${Math.ceil(etaS)} s`
      : `${Math.floor(etaS / 60)} min ${Math.ceil(etaS % 60)} s`

/**
 * DESIGN.md §8's `--json` shape of one run, plus `nodes`: each NUMA node's used bytes and share of
 * the accesses at the end of the run (empty for runs archived before engine 0.3), and `warnings`:
 * what the engine said about the result, e.g. unconverged closed-loop epochs (empty before 0.4).
 */
export function runJson(run: RunDetail) {
  return {
    runId: run.id,
    status: run.status,
    summary: run.summary,
    processes: run.processes.map((p) => ({
      id: p.id,
      throughputOpsPerS: p.throughputOpsPerS,
      meanLatencyNs: p.meanLatencyNs,
    })),
    nodes: run.nodes.map((n) => ({
      node: n.node,
      component: n.component,
      usedBytes: n.usedBytes,
      accessShare: n.accessShare,
    })),
    warnings: run.warnings ?? [],
  }
}

/** Per-process and per-node results as tables (shared by `run` and `show`). */
export function resultTables(run: RunDetail): string[] {
  const out: string[] = []
  if (run.processes.length > 0) {
    out.push(
      renderTable(
        ['process', 'throughput ops/s', 'mean latency ns'],
        run.processes.map((p) => [
          p.id,
          formatNumber(p.throughputOpsPerS),
          formatNumber(p.meanLatencyNs),
        ]),
        [false, true, true],
      ),
    )
  }
  if (run.nodes.length > 0) {
    out.push(
      renderTable(
        ['node', 'component', 'used at end', 'access share'],
        run.nodes.map((n) => [
          n.node,
          n.component,
          formatBytes(n.usedBytes),
          formatNumber(n.accessShare, 3),
        ]),
        [true, false, true, true],
      ),
    )
  }
  return out
}

/**
 * The engine's warnings about a run, one `warning:` line each on stderr, in text and JSON mode
 * alike: stdout stays the result (whose JSON carries them too).
 */
export function printWarnings(io: Pick<CliIO, 'err'>, run: RunDetail): void {
  for (const w of run.warnings ?? []) io.err(`warning: ${w}`)
}

/** The summary, labelled and in order from the metric catalogue, then the result tables. */
export function renderRunText(run: RunDetail): string {
  const lines = [`run ${run.id}: ${run.name} — ${run.status}`]
  if (run.error) lines.push(run.error)
  if (run.summary) {
    lines.push('', renderRows(summaryRows(run.summary), [false, true, false]))
  }
  for (const table of resultTables(run)) lines.push('', table)
  return lines.join('\n')
}

/** The exit for a run that ended: 0 when done, else its reason as one sentence. */
export function failureOf(run: RunRecord): CliError | null {
  if (run.status === 'done') return null
  if (run.status === 'cancelled')
    return new CliError(`Run ${run.id} was cancelled.`, EXIT_CANCELLED)
  // A user policy script that failed mid-run is input the user can fix, like a bad file.
  const scriptFault = run.error?.startsWith('policy script "') === true
  return new CliError(
    `Run ${run.id} ${run.status}: ${run.error ?? 'no reason recorded'}`,
    scriptFault ? EXIT_BAD_INPUT : EXIT_FAILURE,
  )
}

interface RunOptions extends CommonOptions {
  seed?: string
  tag?: string[]
}

/** `tierlab run EXPERIMENT.json`: queue it, show progress, print the result. */
export const registerRun: RegisterCommand = (program: Command, io: CliIO) => {
  withCommonOptions(
    program
      .command('run')
      .description(
        'run an experiment file and archive the run (the simulation runs in a worker thread)',
      )
      .argument('<experiment>', 'a tierlab.experiment/v1 JSON file')
      .option('--seed <n>', "override the experiment's seed")
      .option('--tag <tag...>', 'tag the run (repeatable)'),
  ).action(async (file: string, options: RunOptions) => {
    const seed = parseSeed(options.seed)
    const doc = await inlineScriptSource(await readJsonFile(file), file)
    const experiment =
      seed === undefined || typeof doc !== 'object' || doc === null ? doc : { ...doc, seed }
    const session = openRunSession(options)
    try {
      let record: RunRecord
      try {
        record = await session.call('runs.start', { experiment, tags: options.tag })
      } catch (err) {
        throw relabel(err, file)
      }
      const interrupt = session.cancelOnInterrupt(() => [record.id], io)
      const bar = progressBar(options, 100, '{simulatedS}/{durationS} s simulated')
      session.onProgress((e) => {
        if (e.runId !== record.id || !bar) return
        bar.update(Math.min(100, Math.round((e.simulatedS / e.durationS) * 1000) / 10), {
          etaText: formatEta(e.etaS),
          simulatedS: Number(e.simulatedS.toFixed(2)),
          durationS: e.durationS,
        })
      })
      const [run] = await session.settled([record.id])
      bar?.stop()
      void interrupt
      printWarnings(io, run)
      if (options.json) printJson(io, runJson(run))
      else io.out(renderRunText(run))
      const failure = failureOf(run)
      if (failure) throw failure
    } finally {
      session.close()
    }
  })
}
