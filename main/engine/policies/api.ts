import type { z } from 'zod'
import type { TopologyAnalysis } from '../../../shared/analysis'
import type { ResolvedExperimentInput } from '../sim/types'
import type {
  PolicyContext,
  PolicyInstance,
  PolicySeriesSpec,
  ReclaimConfig,
  Subscriptions,
  TruthView,
} from '../vocabulary'

/**
 * A policy definition (DESIGN.md §5): its knobs, and what it declares it needs — telemetry,
 * reclaim, the truth, its own series. The vocabulary it speaks lives in ../vocabulary (re-exported
 * here for the policies).
 */
export type * from '../vocabulary'

export interface PolicyDefinition<S extends z.ZodObject = z.ZodObject> {
  id: string
  name: string
  description: string
  /** Knob schema; each knob carries its label, unit and description (`knob()` in ./knob.ts). */
  knobs: S
  /** Telemetry from the start (the policy may change it later with `ctx.subscribe`). */
  subscriptions(knobs: z.output<S>): Subscriptions
  reclaim(knobs: z.output<S>): ReclaimConfig
  /**
   * Knobs that depend on the machine (a node id that must be a memory node): throws one sentence
   * naming the knob and the fix. Preflight runs it before anything is archived; `create` must
   * refuse the same (the run checks there).
   */
  checkMachine?(knobs: z.output<S>, analysis: TopologyAnalysis): void
  /** Ground truth (true access rates, hotness order): upper bounds only, never a mechanism. */
  needsTruth?: boolean
  /** Series the policy publishes with `ctx.publish`; stored as `policy.<name>`. */
  series?: Record<string, PolicySeriesSpec>
  create(knobs: z.output<S>, ctx: PolicyContext, truth: TruthView | null): PolicyInstance
  /**
   * Refuses a machine or workload the policy cannot act on (a GPU policy without a GPU), before
   * anything runs: preflight (checkRunnable) and the run call it. Throw an Error whose message is
   * one sentence naming the field and the fix; it is reported as `policy "<id>": <message>`.
   */
  check?(knobs: z.output<S>, exp: PolicyCheckInput): void
}

/** What a policy's `check` sees: the experiment (presets inlined) and its topology analysis. */
export interface PolicyCheckInput {
  experiment: ResolvedExperimentInput
  analysis: TopologyAnalysis
}

/** Keeps the knob type of each definition while storing them in one list. */
export function definePolicy<S extends z.ZodObject>(def: PolicyDefinition<S>): PolicyDefinition {
  return def as unknown as PolicyDefinition
}
