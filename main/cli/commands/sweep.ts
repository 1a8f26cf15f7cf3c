import { ApiError } from '../../../shared/api'
import type { RunDetail } from '../../../shared/runs'
import { parseKnobValues } from '../../services/experiments'
import { printJson, withCommonOptions, type CommonOptions } from '../context'
import { badInput, CliError, EXIT_FAILURE } from '../errors'
import { summaryMetricInfo } from '../../../shared/metrics/catalogue'
import { columnTitle, formatNumber } from '../format/metrics'
import { renderTable } from '../format/table'
import {
  EXIT_CANCELLED,
  openRunSession,
  parseSeed,
  progressBar,
  readJsonFile,
  relabel,
  runJson,
} from './run'
import { inlineScriptSource } from '../script-source'
import type { RegisterCommand } from './types'

interface SweepOptions extends CommonOptions {
  knob: string
  values: string
  seed?: string
  tag?: string[]
}

/** The metrics a sweep compares across its runs, labelled from the metric catalogue. */
const SWEEP_METRICS = [
  'throughputOpsPerS',
  'meanLatencyNs',
  'p99LatencyNs',
  'topTierHitRatio',
  'promotedBytes',
].map(summaryMetricInfo)

export function renderSweep(knob: string, values: unknown[], runs: RunDetail[]): string {
  return renderTable(
    ['run', knob, 'status', ...SWEEP_METRICS.map(columnTitle)],
    runs.map((r, i) => [
      r.id,
      String(values[i]),
      r.status,
      ...SWEEP_METRICS.map((m) => formatNumber(r.summary?.[m.key], 5)),
    ]),
    [true, false, false, ...SWEEP_METRICS.map(() => true)],
  )
}

/** `tierlab sweep EXPERIMENT.json --knob PATH --values a,b,c`: one run per value, one batch. */
export const registerSweep: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('sweep')
      .description('run an experiment once per value of one field, as one batch')
      .argument('<experiment>', 'a tierlab.experiment/v1 JSON file')
      .requiredOption(
        '--knob <path>',
        'the field to vary, e.g. policy.params.hotThresholdMs or topology.components[1].memory.capacityGiB',
      )
      .requiredOption('--values <list>', 'comma-separated values, e.g. 100,1000,5000')
      .option('--seed <n>', "override the experiment's seed")
      .option('--tag <tag...>', 'tag every run (repeatable)'),
  ).action(async (file: string, options: SweepOptions) => {
    const values = parseKnobValues(options.values)
    if (values.length === 0)
      throw badInput('--values: give at least one value, e.g. --values 1,2,3')
    const seed = parseSeed(options.seed)
    const doc = await inlineScriptSource(await readJsonFile(file), file)
    const experiment =
      seed === undefined || typeof doc !== 'object' || doc === null ? doc : { ...doc, seed }
    const session = openRunSession(options)
    try {
      let records
      try {
        records = await session.call('runs.sweep', {
          experiment,
          knob: options.knob,
          values,
          tags: options.tag,
        })
      } catch (err) {
        // The base experiment's problems name the file; a bad value's name the value too.
        if (
          err instanceof ApiError &&
          err.code === 'invalid-input' &&
          !err.message.startsWith('experiment:')
        ) {
          throw badInput(`${file}: ${err.message}`)
        }
        throw relabel(err, file)
      }
      const ids = records.map((r) => r.id)
      session.cancelOnInterrupt(() => ids, io)
      const bar = progressBar(options, ids.length, '{value}/{total} runs')
      const simulated = new Map<number, number>()
      session.onProgress((e) => {
        simulated.set(e.runId, e.simulatedS / e.durationS)
        let sum = 0
        for (const f of simulated.values()) sum += f
        bar?.update(Math.floor(sum * 10) / 10, { etaText: '…' })
      })
      const runs = await session.settled(ids)
      bar?.stop()
      if (options.json) {
        printJson(io, {
          batch: records[0].batch,
          knob: options.knob,
          runs: runs.map((r, i) => ({ value: values[i], ...runJson(r) })),
        })
      } else {
        io.out(`Sweep ${records[0].batch} over ${options.knob}:`)
        io.out(renderSweep(options.knob, values, runs))
      }
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
    } finally {
      session.close()
    }
  })
}
