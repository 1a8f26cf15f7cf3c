import { RUN_STATUSES, type RunRecord, type RunStatus } from '../../../shared/runs'
import {
  databaseExists,
  databasePath,
  printJson,
  withCommonOptions,
  withServices,
  type CommonOptions,
} from '../context'
import { badInput } from '../errors'
import { summaryMetricInfo } from '../../../shared/metrics/catalogue'
import { formatNumber, MISSING, unitText } from '../format/metrics'
import { renderTable } from '../format/table'
import type { RegisterCommand } from './types'

interface ListOptions extends CommonOptions {
  status?: string
  limit?: string
  policy?: string
  tag?: string
  text?: string
}

function parseStatus(value: string | undefined): RunStatus | undefined {
  if (value === undefined) return undefined
  if ((RUN_STATUSES as readonly string[]).includes(value)) return value as RunStatus
  throw badInput(`--status: "${value}" is not a run status; use one of ${RUN_STATUSES.join(', ')}`)
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 100_000) {
    throw badInput(`--limit: "${value}" is not a whole number from 1 to 100000; give a run count`)
  }
  return n
}

const THROUGHPUT = summaryMetricInfo('throughputOpsPerS')

function headline(run: RunRecord): string {
  const t = run.summary?.throughputOpsPerS
  return t === undefined ? MISSING : `${formatNumber(t, 4)} ${unitText(THROUGHPUT.unit)}`
}

/** The archive, newest first; a database that does not exist yet is an empty archive. */
export const registerList: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('list')
      .description('list archived runs, newest first')
      .option('--status <status>', `only runs in this status (${RUN_STATUSES.join(', ')})`)
      .option('--policy <id>', 'only runs of this policy')
      .option('--tag <tag>', 'only runs carrying this tag')
      .option(
        '--text <text>',
        'only runs whose name, policy, topology, workload or notes contain it',
      )
      .option('--limit <n>', 'at most this many runs'),
  ).action(async (options: ListOptions) => {
    const filter = {
      status: parseStatus(options.status),
      limit: parseLimit(options.limit),
      policyId: options.policy,
      tag: options.tag,
      text: options.text,
    }
    const runs = databaseExists(options)
      ? await withServices(options, (call) => call('runs.list', filter))
      : []
    if (options.json) {
      printJson(io, runs)
      return
    }
    if (runs.length === 0) {
      io.out(`No runs in ${databasePath(options)}.`)
      return
    }
    io.out(
      renderTable(
        ['id', 'status', 'name', 'policy', 'topology', 'workload', 'throughput', 'created'],
        runs.map((r) => [
          r.id,
          r.status,
          r.name,
          r.policyId,
          r.topologyName,
          r.workloadName,
          headline(r),
          r.createdAt,
        ]),
        [true],
      ),
    )
  })
}
