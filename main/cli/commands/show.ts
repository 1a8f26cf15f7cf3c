import type { RunDetail } from '../../../shared/runs'
import {
  databaseExists,
  databasePath,
  printJson,
  withCommonOptions,
  withServices,
  type CommonOptions,
} from '../context'
import { badInput, CliError } from '../errors'
import { summaryRows } from '../format/metrics'
import { renderRows, renderTable } from '../format/table'
import { resultTables } from './run'
import type { RegisterCommand } from './types'

function parseRunId(value: string): number {
  const id = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
    throw badInput(
      `RUN_ID: "${value}" is not a run id; give a positive whole number from \`tierlab list\``,
    )
  }
  return id
}

function renderRun(run: RunDetail): string {
  const lines = [
    `run ${run.id}: ${run.name}`,
    renderRows([
      ['status', run.status + (run.error ? ` (${run.error})` : '')],
      ['policy', run.policyId],
      ['topology', run.topologyName],
      ['workload', run.workloadName],
      ['seed', run.seed],
      ['engine', run.engineVersion],
      ['created', run.createdAt],
      ['started', run.startedAt ?? '-'],
      ['finished', run.finishedAt ?? '-'],
      ['wall time', run.wallMs === null ? '-' : `${run.wallMs} ms`],
      ['tags', run.tags.join(', ') || '-'],
    ]),
  ]
  // Since engine 0.3 these are the effective values, defaults included.
  const knobs = Object.entries(run.experiment.policy.params ?? {})
  if (knobs.length) {
    lines.push('', 'knobs:')
    lines.push(
      renderRows(knobs.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
    )
  }
  if (run.summary) {
    lines.push('', 'summary:')
    lines.push(renderTable(['metric', 'value', 'unit'], summaryRows(run.summary), [false, true]))
  }
  for (const table of resultTables(run)) lines.push('', table)
  if (run.notes) lines.push('', 'notes:', run.notes)
  return lines.join('\n')
}

/** One archived run: its record, summary and per-process results. */
export const registerShow: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('show')
      .description('show one archived run')
      .argument('<run-id>', 'a run id from `tierlab list`'),
  ).action(async (value: string, options: CommonOptions) => {
    const id = parseRunId(value)
    if (!databaseExists(options)) {
      throw new CliError(
        `There is no run with id ${id}: ${databasePath(options)} does not exist yet.`,
      )
    }
    const run = await withServices(options, (call) => call('runs.get', { id }))
    if (options.json) printJson(io, run)
    else io.out(renderRun(run))
  })
}
