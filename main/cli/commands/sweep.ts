import { ApiError } from '../../../shared/api'
import type { RunDetail } from '../../../shared/runs'
import { sweepSizeProblem, type SweepAxis } from '../../../shared/sweeps'
import type { SweepRequest } from '../../services/runs/sweep-plan'
import { parseQueueUrl, runRemoteSweep, type QueueAddress } from '../../services/queue'
import {
  databasePath,
  printJson,
  withCommonOptions,
  type CliIO,
  type CommonOptions,
} from '../context'
import { badInput, CliError, EXIT_FAILURE } from '../errors'
import { groupStats, renderSweepTable, sweepGroups } from '../format/sweep-table'
import {
  EXIT_CANCELLED,
  formatEta,
  openRunSession,
  parseSeed,
  progressBar,
  settleWithBar,
  readJsonFile,
  relabel,
  runJson,
} from './run'
import { inlineScriptSource } from '../script-source'
import { collect, parseSweepArgs } from './sweep-args'
import { writeSlurmSweep } from './sweep-slurm'
import type { RegisterCommand } from './types'

interface SweepOptions extends CommonOptions {
  knob: string[]
  values: string[]
  replicates?: string
  yes?: boolean
  queue?: string
  slurm?: string
  tasks?: string
  seed?: string
  tag?: string[]
}

interface SweepOutcome {
  batch: string
  runs: RunDetail[]
  queue: string | null
  /** Remote sweeps: runs this submission created (the rest were already in the database). */
  added: number | null
}

/** The API's refusals name the option or the grid; the experiment's name the file. */
function relabelSweepError(err: unknown, file: string): unknown {
  if (err instanceof ApiError && err.code === 'invalid-input') {
    if (/^(--|the sweep has|knob:|values:)/.test(err.message)) return badInput(err.message)
    if (!err.message.startsWith('experiment:')) return badInput(`${file}: ${err.message}`)
  }
  return relabel(err, file)
}

async function runLocal(
  request: SweepRequest,
  options: SweepOptions,
  io: CliIO,
): Promise<SweepOutcome> {
  const session = openRunSession(options)
  try {
    const records = await session.call('runs.sweep', {
      experiment: request.experiment,
      grid: request.grid,
      replicates: request.replicates,
      confirmed: request.confirmed,
      tags: options.tag,
    })
    const ids = records.map((r) => r.id)
    session.cancelOnInterrupt(() => ids, io)
    const runs = await settleWithBar(session, options, ids)
    return { batch: records[0].batch!, runs, queue: null, added: null }
  } finally {
    session.close()
  }
}

async function runRemote(
  request: SweepRequest,
  address: QueueAddress,
  options: SweepOptions,
  io: CliIO,
): Promise<SweepOutcome> {
  const abort = new AbortController()
  const onSigint = () => {
    io.err('Cancelling: removing the jobs no worker has taken…')
    abort.abort()
  }
  process.on('SIGINT', onSigint)
  const startedMs = performance.now()
  let bar: ReturnType<typeof progressBar> = null
  try {
    const result = await runRemoteSweep({
      dbPath: databasePath(options),
      address,
      request,
      tags: options.tag,
      signal: abort.signal,
      onUpdate({ done, failed, total }) {
        bar ??= progressBar(options, total, '{value}/{total} runs | {failed} failed')
        const landed = done + failed
        const elapsedS = (performance.now() - startedMs) / 1000
        const etaS = landed > 0 ? (elapsedS / landed) * (total - landed) : null
        bar?.update(landed, { failed, etaText: formatEta(etaS) })
      },
    })
    ;(bar as ReturnType<typeof progressBar>)?.stop()
    if (result.cancelled) throw new CliError('The sweep was cancelled.', EXIT_CANCELLED)
    return { batch: result.batch, runs: result.runs, queue: address.display, added: result.added }
  } finally {
    process.off('SIGINT', onSigint)
  }
}

function printOutcome(io: CliIO, options: SweepOptions, grid: SweepAxis[], outcome: SweepOutcome) {
  const knobs = grid.map((a) => a.knob)
  if (options.json) {
    printJson(io, {
      batch: outcome.batch,
      knob: knobs[0],
      knobs,
      queue: outcome.queue,
      ...(outcome.added === null ? {} : { added: outcome.added }),
      runs: outcome.runs.map((r) => ({
        ...(knobs.length === 1 ? { value: r.sweepPoint?.[knobs[0]] } : {}),
        point: r.sweepPoint ?? null,
        replicate: r.replicate ?? null,
        ...runJson(r),
      })),
      groups: sweepGroups(outcome.runs).map((g) => ({
        point: g[0].sweepPoint ?? null,
        runs: g.map((r) => r.id),
        metrics: groupStats(g),
      })),
    })
    return
  }
  const where = outcome.queue ? ` on ${outcome.queue}` : ''
  io.out(`Sweep ${outcome.batch} over ${knobs.join(' × ')}${where}:`)
  if (outcome.added === 0) {
    io.out(`Nothing added: all ${outcome.runs.length} runs were already in the database.`)
  }
  io.out(renderSweepTable(knobs, outcome.runs))
}

/** `tierlab sweep EXPERIMENT.json --knob PATH --values a,b,c …`: a grid × replicates, one batch. */
export const registerSweep: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('sweep')
      .description(
        'run an experiment over a grid of knob values (× seeds), here, on a Redis queue, or as a Slurm array',
      )
      .argument('<experiment>', 'a tierlab.experiment/v1 JSON file')
      .option(
        '--knob <path>',
        'a field to vary, e.g. policy.params.hotThresholdMs (repeat for a grid; each needs its --values)',
        collect,
        [],
      )
      .option('--values <list>', 'comma-separated values of the --knob before it', collect, [])
      .option('--replicates <n>', 'seeds per grid point (seed, seed+1, …), shown as mean ± 95% CI')
      .option('--yes', 'confirm a sweep of more than 1000 runs')
      .option(
        '--queue <url>',
        'submit to a Redis queue (redis://HOST:PORT) served by `tierlab worker`',
      )
      .option('--slurm <file>', 'write a Slurm array script (and its plan) instead of running')
      .option('--tasks <n>', 'Slurm array tasks (with --slurm; default 10)')
      .option('--seed <n>', "override the experiment's seed")
      .option('--tag <tag...>', 'tag every run (repeatable)'),
  ).action(async (file: string, options: SweepOptions) => {
    if (options.knob.length === 0) {
      throw badInput(
        '--knob: give the field to vary, e.g. --knob policy.params.hotThresholdMs --values 1,2',
      )
    }
    if (options.queue && options.slurm) {
      throw badInput('--queue and --slurm: pick one way to spread the sweep')
    }
    const { grid, replicates } = parseSweepArgs(options)
    // Before any file or database is opened: a typo in a grid must not start 100,000 runs.
    const tooBig = sweepSizeProblem(grid, replicates, options.yes === true)
    if (tooBig) throw badInput(tooBig)
    const seed = parseSeed(options.seed)
    let address: QueueAddress | null = null
    if (options.queue) {
      try {
        address = parseQueueUrl(options.queue)
      } catch (err) {
        throw relabelSweepError(err, file)
      }
    }
    const doc = await inlineScriptSource(await readJsonFile(file), file)
    const experiment =
      seed === undefined || typeof doc !== 'object' || doc === null ? doc : { ...doc, seed }
    const request: SweepRequest = { experiment, grid, replicates, confirmed: options.yes === true }
    if (options.slurm) {
      try {
        await writeSlurmSweep({ file, request, options, io })
      } catch (err) {
        throw relabelSweepError(err, file)
      }
      return
    }
    let outcome: SweepOutcome
    try {
      outcome = address
        ? await runRemote(request, address, options, io)
        : await runLocal(request, options, io)
    } catch (err) {
      throw relabelSweepError(err, file)
    }
    printOutcome(io, options, grid, outcome)
    const runs = outcome.runs
    const cancelled = runs.filter((r) => r.status === 'cancelled').length
    const failed = runs.filter((r) => r.status !== 'done' && r.status !== 'cancelled')
    if (cancelled > 0)
      throw new CliError(
        `The sweep was cancelled (${cancelled} of ${runs.length} runs).`,
        EXIT_CANCELLED,
      )
    if (failed.length > 0) {
      throw new CliError(
        `${failed.length} of ${runs.length} runs did not finish; run ${failed[0].id} ${failed[0].status}: ${failed[0].error ?? 'no reason recorded'}`,
        EXIT_FAILURE,
      )
    }
  })
}
