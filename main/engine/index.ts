import type { Experiment } from '../../shared/formats/experiment'
import type { Topology } from '../../shared/formats/topology'
import type { Workload } from '../../shared/formats/workload'
import { runSimulationCore } from './sim/run'
import type { SimulationHooks, SimulationResult } from './sim/run'
import type { EngineOptions } from './sim/types'

/** The engine's public surface (DESIGN.md §4–§6). */
export interface ResolvedExperiment extends Omit<Experiment, 'topology' | 'workload'> {
  topology: Topology
  workload: Workload
}

export type { SimulationHooks, SimulationProgress, SimulationResult } from './sim/run'
export type { EngineOptions } from './sim/types'
export { SimulationInputError } from './sim/errors'
export { checkRunnable } from './preflight'
export { listPolicies } from './policies/registry'
export { ENGINE_VERSION } from './version'

/**
 * Runs one experiment (presets already inlined) to the end or until `hooks.shouldCancel()`.
 * Throws SimulationInputError, one sentence, for an experiment that cannot run.
 */
export function runSimulation(
  exp: ResolvedExperiment,
  hooks?: SimulationHooks,
  options?: EngineOptions,
): SimulationResult {
  return runSimulationCore(exp, hooks, options)
}
