import type { PolicyKnob } from '../../../shared/api'
import { listPolicyInfos } from '../../services'
import { databaseExists, withServices } from '../context'
import { printJson, withCommonOptions, type CommonOptions } from '../context'
import { renderTable } from '../format/table'
import type { RegisterCommand } from './types'

/** `0..3600000`, or `>0..3600000` for a knob that refuses its lower bound (`.positive()`). */
function range(k: PolicyKnob): string {
  if (k.values) return k.values.join(' | ')
  const low =
    k.min !== undefined ? `${k.min}` : k.exclusiveMin !== undefined ? `>${k.exclusiveMin}` : ''
  const high =
    k.max !== undefined ? `${k.max}` : k.exclusiveMax !== undefined ? `<${k.exclusiveMax}` : ''
  return low || high ? `${low}..${high}` : ''
}

/** Placement policies with their knobs, defaults and units (DESIGN.md §5). */
export const registerPolicies: RegisterCommand = (program, io) => {
  withCommonOptions(
    program.command('policies').description('list the placement policies and their knobs'),
  ).action(async (options: CommonOptions) => {
    // Saved user policies (library:NAME) come from the database; reading never creates one.
    const policies = databaseExists(options)
      ? await withServices(options, (call) => call('policies.list', {}))
      : listPolicyInfos()
    if (options.json) {
      printJson(io, policies)
      return
    }
    if (policies.length === 0) {
      io.out('No placement policies are available in this build.')
      return
    }
    const blocks = policies.map((p) => {
      const head = `${p.id}  ${p.name}\n  ${p.description}`
      if (p.knobs.length === 0) return `${head}\n  (no knobs)`
      const table = renderTable(
        ['knob', 'default', 'unit', 'range', 'description'],
        p.knobs.map((k) => [
          k.name,
          JSON.stringify(k.default),
          k.unit,
          range(k),
          `${k.label}: ${k.description}`,
        ]),
      )
      return `${head}\n${table.replace(/^/gm, '  ')}`
    })
    io.out(blocks.join('\n\n'))
  })
}
