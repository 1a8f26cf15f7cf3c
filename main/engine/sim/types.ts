import type { Experiment } from '../../../shared/formats/experiment'
import type { Topology } from '../../../shared/formats/topology'
import type { Workload } from '../../../shared/formats/workload'
import type { PolicyDefinition } from '../policies/api'

/** An experiment whose presets the caller has already inlined. */
export interface ResolvedExperimentInput extends Omit<Experiment, 'topology' | 'workload'> {
  topology: Topology
  workload: Workload
}

/** Engine knobs that are not a policy's (defaults documented where used). */
export interface EngineOptions {
  /** A frame that returns to the node it left within this window counts as a ping-pong, s. */
  pingPongWindowS?: number
  /** The policy to run instead of looking `policy.id` up in the built-in registry (a user script). */
  policyDef?: PolicyDefinition
}
