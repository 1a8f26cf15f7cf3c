import { basename } from 'node:path'
import { SimulationInputError } from '../../engine'
import { resolveResourcesDir } from '../../services'
import { typecheckPolicyScript } from '../../services/policy-typecheck'
import { dryRunPolicyScript, type DryRunReport } from '../../services/user-policy-dry-run'
import { printJson, withCommonOptions, type CommonOptions } from '../context'
import { badInput } from '../errors'
import { readScriptFile } from '../script-source'
import type { RegisterCommand } from './types'

interface CheckOptions extends CommonOptions {
  params?: string
}

const METRICS: Array<[string, string]> = [
  ['hintFaults', 'hint faults'],
  ['samples', 'samples'],
  ['promotions', 'promotions'],
  ['demotions', 'demotions'],
  ['exchanges', 'exchanges'],
  ['failedMigrations', 'failed migrations'],
  ['migratedBytes', 'migrated bytes'],
  ['topTierHitRatio', 'top-tier hit ratio'],
  ['throughputOpsPerS', 'throughput ops/s'],
]

function renderReport(file: string, r: DryRunReport, typeNote: string): string {
  const calls = Object.entries(r.hookCalls)
  return [
    `${file}: "${r.policy.name}" loaded; ${typeNote}`,
    `knobs: ${r.policy.knobs.map((k) => `${k.name}=${JSON.stringify(k.default)}${k.unit ? ` ${k.unit}` : ''}`).join(', ') || 'none'}`,
    `subscriptions: ${JSON.stringify(r.subscriptions)}`,
    `in ${r.simulatedS} simulated second (1 socket + CXL, hot set over 128 MiB, 4 KiB pages):`,
    `  hooks called: ${calls.map(([h, n]) => `${h} ×${n}`).join(', ') || 'none (the script defines no hooks)'}`,
    ...METRICS.map(([k, label]) => `  ${label}: ${Number((r.summary[k] ?? 0).toPrecision(6))}`),
    `  CPU used: ${r.cpuTicks} ticks`,
    ...(r.logs.length ? ['console.log:', ...r.logs.map((l) => `  ${l}`)] : []),
  ].join('\n')
}

/** `tierlab check-policy FILE`: type-check a policy script and dry-run it for one simulated second. */
export const registerCheckPolicy: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('check-policy')
      .description(
        'type-check a policy script (.js or .ts) and dry-run it for one simulated second',
      )
      .argument('<file>', 'a policy script: an ES module whose default export is the policy')
      .option('--params <json>', 'knob values as JSON, e.g. \'{"period": 499}\''),
  ).action(async (file: string, options: CheckOptions) => {
    if (!/\.(m?js|m?ts)$/i.test(file))
      throw badInput(
        `${file}: a policy script ends in .js or .ts; rename it or give the right file`,
      )
    let params: Record<string, unknown> = {}
    if (options.params !== undefined) {
      try {
        params = JSON.parse(options.params) as Record<string, unknown>
      } catch {
        throw badInput(`--params: "${options.params}" is not JSON; write it like '{"period": 499}'`)
      }
      if (typeof params !== 'object' || params === null || Array.isArray(params))
        throw badInput('--params: give an object of knob values, like \'{"period": 499}\'')
    }
    const source = await readScriptFile(file)
    const name = basename(file)
    const typeErrors = await typecheckPolicyScript(source, name, resolveResourcesDir())
    if (typeErrors && typeErrors.length > 0)
      throw badInput(
        `${typeErrors[0].message}${typeErrors.length > 1 ? ` (and ${typeErrors.length - 1} more type errors)` : ''}; fix the types or see resources/policy-api.d.ts`,
      )
    let report: DryRunReport
    try {
      report = await dryRunPolicyScript(source, name, params)
    } catch (err) {
      if (err instanceof SimulationInputError) throw badInput(err.message)
      throw err
    }
    const typeNote =
      typeErrors === null ? 'type check skipped (TypeScript is not installed)' : 'types OK'
    if (options.json) printJson(io, { file, typeChecked: typeErrors !== null, ...report })
    else io.out(renderReport(file, report, typeNote))
  })
}
