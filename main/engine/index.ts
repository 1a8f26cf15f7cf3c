import type { Experiment } from '../../shared/formats/experiment'
import type { Topology } from '../../shared/formats/topology'
import type { Workload } from '../../shared/formats/workload'
import { runSimulationCore, type PolicySource } from './run'
import type { SimulationHooks, SimulationResult } from './run'
import type { EngineOptions } from './sim/types'

/** The engine's public face (DESIGN.md §4–§6): services and the CLI import only this. */
export interface ResolvedExperiment extends Omit<Experiment, 'topology' | 'workload'> {
  topology: Topology
  workload: Workload
}

export type { PolicySource, SimulationHooks, SimulationProgress, SimulationResult } from './run'
export type { EngineOptions } from './sim/types'
export { SimulationInputError } from './sim/errors'
export { releaseRunArrays } from './memory/run-arrays'
export {
  BUILTIN_POLICIES,
  createRegistry,
  listPolicies,
  policyKnobsSchemas,
} from './policies/registry'
export type { PolicyRegistry } from './policies/registry'
export { definePolicy } from './policies/api'
export type { PolicyDefinition } from './policies/api'
export type * from './vocabulary'
export { definitionOf, resolvePolicy } from './policies/resolve'
export { analyzeTopology } from './topology'
export { compileWorkload, hotnessCurve } from './workload'
export { checkRunnable } from './preflight'
export { ENGINE_VERSION } from './version'
// User policy scripts (a QuickJS sandbox) enter through the same door as the built-ins.
export {
  compileScriptPolicy,
  DEFAULT_SCRIPT_LIMITS,
  languageOf,
  PolicyScriptError,
  scriptHash,
  scriptLimitsSchema,
  type CompileOptions,
  type ScriptLanguage,
  type ScriptLimits,
  type ScriptPolicy,
} from './policies/script'
export { policyInfo } from './policies/registry'

/**
 * Runs one experiment (presets already inlined) under a policy from `policies` (the services pass
 * BUILTIN_POLICIES; tests and user policies pass their own registry or a definition) to the end
 * or until `hooks.shouldCancel()`. Throws SimulationInputError, one sentence, for an experiment
 * that cannot run.
 */
export function runSimulation(
  exp: ResolvedExperiment,
  policies: PolicySource,
  hooks?: SimulationHooks,
  options?: EngineOptions,
): SimulationResult {
  return runSimulationCore(exp, policies, hooks, options)
}
