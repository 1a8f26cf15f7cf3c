import type { TopologyAnalysis } from '../../../shared/analysis'
import { formatBytes } from '../../../shared/units'
import type { PolicyDefinition } from '../policies/api'
import { findPolicy, POLICIES } from '../policies/registry'
import type { CompiledWorkload } from '../workload'
import { SimulationInputError } from './errors'
import { EXACT_MAX_ACCESSES } from './exact'
import type { ResolvedExperimentInput } from './types'

/** Checks that need the analysis and the compiled workload; each failure is one sentence. */
export function checkInitiators(exp: ResolvedExperimentInput, analysis: TopologyAnalysis): void {
  const ids = analysis.initiators.map((i) => i.component)
  for (const p of exp.workload.processes) {
    if (!ids.includes(p.initiator))
      throw new SimulationInputError(
        `process "${p.id}" runs on initiator "${p.initiator}", which is not a socket or GPU of topology "${exp.topology.name}"; use one of ${ids.join(', ')}`,
      )
  }
}

export function checkCapacity(
  w: CompiledWorkload,
  analysis: TopologyAnalysis,
  topologyName: string,
): void {
  const needBytes = w.totalFrames * w.pageBytes
  const haveBytes = analysis.nodes.reduce((s, n) => s + n.capacityBytes, 0)
  if (needBytes > haveBytes)
    throw new SimulationInputError(
      `the workload needs ${formatBytes(needBytes)} (${needBytes} bytes) of memory but topology "${topologyName}" has ${formatBytes(haveBytes)} (${haveBytes} bytes); shrink the regions or add memory`,
    )
}

export function resolvePolicy(
  id: string,
  params: Record<string, unknown>,
  given?: PolicyDefinition,
): { def: PolicyDefinition; knobs: Record<string, unknown> } {
  const def = given ?? findPolicy(id)
  if (!def)
    throw new SimulationInputError(
      `unknown policy "${id}"; use one of ${POLICIES.map((p) => p.id).join(', ')}`,
    )
  const res = def.knobs.safeParse(params ?? {})
  if (!res.success) {
    const issue = res.error.issues[0]
    if (issue.code === 'unrecognized_keys')
      throw new SimulationInputError(
        `policy "${def.id}" has no knob "${issue.keys[0]}"; its knobs are ${Object.keys(def.knobs.shape).join(', ') || 'none'}`,
      )
    const knob = issue.path.map(String).join('.') || '(params)'
    throw new SimulationInputError(
      `policy "${def.id}": knob "${knob}" ${issue.message.replace(/^Invalid input: /, '')}`,
    )
  }
  return { def, knobs: res.data as Record<string, unknown> }
}

/** Exact mode draws every access; refuse runs that would take too long. */
export function checkExactBudget(estimatedAccesses: number): void {
  if (estimatedAccesses > EXACT_MAX_ACCESSES)
    throw new SimulationInputError(
      `exact mode would draw about ${Math.round(estimatedAccesses).toLocaleString('en-US')} accesses, more than its limit of ${EXACT_MAX_ACCESSES.toLocaleString('en-US')}; shorten durationS, slow the processes, or use mode "fast"`,
    )
}
