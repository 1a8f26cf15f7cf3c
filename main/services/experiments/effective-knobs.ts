import { BUILTIN_POLICIES, resolvePolicy, type ResolvedExperiment } from '../../engine'

/**
 * The experiment as it will run: the policy's knobs parsed by its schema, every default filled in.
 * This is what a run archives, so the experiment diff compares effective values (no "1000 vs —"
 * when one run set a default explicitly), rerun-with-changes fills what ran rather than today's
 * defaults, and export bundles say exactly what ran. Call after the experiment was checked (an
 * invalid knob throws SimulationInputError).
 */
export function withEffectiveKnobs(exp: ResolvedExperiment): ResolvedExperiment {
  // A user script's knobs are parsed inside its sandbox; the archive keeps its source and hash.
  if (exp.policy.script !== undefined) return exp
  const { knobs } = resolvePolicy(BUILTIN_POLICIES, exp.policy.id ?? '', exp.policy.params ?? {})
  // A JSON copy: defaults may be shared objects ([] or {}) inside the schema.
  const params = JSON.parse(JSON.stringify(knobs)) as Record<string, unknown>
  return { ...exp, policy: { ...exp.policy, params } }
}
