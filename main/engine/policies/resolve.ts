import { SimulationInputError } from '../sim/errors'
import type { PolicyCheckInput, PolicyDefinition } from './api'
import type { PolicyRegistry } from './registry'

/** The policy a run names, from the registry it was given, with its knobs parsed. */
export function resolvePolicy(
  registry: PolicyRegistry,
  id: string,
  params: Record<string, unknown>,
): { def: PolicyDefinition; knobs: Record<string, unknown> } {
  const def = registry.find(id)
  if (!def)
    throw new SimulationInputError(
      `unknown policy "${id}"; use one of ${registry
        .list()
        .map((p) => p.id)
        .join(', ')}`,
    )
  const res = def.knobs.safeParse(params ?? {})
  if (!res.success) {
    const issue = res.error.issues[0]
    if (issue.code === 'unrecognized_keys')
      throw new SimulationInputError(
        `policy "${id}" has no knob "${issue.keys[0]}"; its knobs are ${Object.keys(def.knobs.shape).join(', ') || 'none'}`,
      )
    const knob = issue.path.map(String).join('.') || '(params)'
    throw new SimulationInputError(
      `policy "${id}": knob "${knob}" ${issue.message.replace(/^Invalid input: /, '')}`,
    )
  }
  return { def, knobs: res.data as Record<string, unknown> }
}

/** The policy of a run: a registry to look its id up in, or the definition itself. */
export type PolicySource = PolicyRegistry | PolicyDefinition

/** The run's policy from its source, with its knobs parsed (resolvePolicy's answer). */
export function definitionOf(
  source: PolicySource,
  id: string,
  params: Record<string, unknown>,
): ReturnType<typeof resolvePolicy> {
  if ('find' in source) return resolvePolicy(source, id, params)
  // A definition given as such (a test's, or a user script's) is the run's policy whatever the
  // experiment calls it: a script policy has no id of its own.
  return resolvePolicy({ find: () => source, list: () => [source] }, source.id, params)
}

/**
 * The definition's own `check` of the machine and workload (PolicyDefinition.check), as one
 * SimulationInputError naming the policy.
 */
export function checkPolicyFits(
  def: PolicyDefinition,
  knobs: Record<string, unknown>,
  input: PolicyCheckInput,
): void {
  if (!def.check) return
  try {
    def.check(knobs, input)
  } catch (e) {
    throw new SimulationInputError(
      `policy "${def.id}": ${e instanceof Error ? e.message : String(e)}`,
    )
  }
}
