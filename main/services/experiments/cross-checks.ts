import type { FieldIssue } from '../../../shared/formats'
import { formatBytes } from '../../../shared/units'
import {
  BUILTIN_POLICIES,
  resolvePolicy,
  SimulationInputError,
  type ResolvedExperiment,
} from '../../engine'
import { scriptPolicyIssues } from './script-policy'

const GiB = 2 ** 30

/** Bytes a region occupies once rounded up to whole pages, as the engine allocates it. */
function regionBytes(sizeGiB: number, pageBytes: number): number {
  return Math.ceil((sizeGiB * GiB) / pageBytes) * pageBytes
}

/**
 * Facts no single document can check: every process runs on a socket or GPU of this topology,
 * the policy exists and takes these knobs, and the workload fits in the machine's memory. The
 * engine checks the same at start; checking here refuses the run before it is queued.
 */
export function crossDocumentIssues(exp: ResolvedExperiment): FieldIssue[] {
  const issues: FieldIssue[] = []
  const initiators = exp.topology.components
    .filter((c) => c.kind === 'socket' || c.kind === 'gpu')
    .map((c) => c.id)
  exp.workload.processes.forEach((p, i) => {
    if (!initiators.includes(p.initiator)) {
      issues.push({
        path: `workload.processes[${i}].initiator`,
        message: `names "${p.initiator}", which is not a socket or GPU of topology "${exp.topology.name}"; use one of ${initiators.join(', ')}`,
      })
    }
  })

  if (exp.policy.script !== undefined) {
    issues.push(...scriptPolicyIssues(exp.policy))
  } else {
    // Ids only: listPolicies() builds every policy's knob JSON Schema, ~7 ms a call, which was
    // the larger part of planning each run of a sweep.
    const ids = BUILTIN_POLICIES.list().map((p) => p.id)
    const id = exp.policy.id ?? ''
    if (!ids.includes(id)) {
      issues.push({
        path: 'policy.id',
        message: `names ${JSON.stringify(id)}, which is not a policy; use one of ${ids.join(', ')} (see \`tierlab policies\`)`,
      })
    } else {
      try {
        resolvePolicy(BUILTIN_POLICIES, id, exp.policy.params)
      } catch (err) {
        if (!(err instanceof SimulationInputError)) throw err
        issues.push({ path: 'policy.params', message: err.message })
      }
    }
  }

  // Device-private GPU memory is not a NUMA node the kernel can place host pages on.
  const haveBytes = exp.topology.components.reduce(
    (sum, c) =>
      'memory' in c && !(c.kind === 'gpu' && !c.coherent) ? sum + c.memory.capacityGiB * GiB : sum,
    0,
  )
  const needBytes = exp.workload.regions.reduce(
    (sum, r) => sum + regionBytes(r.sizeGiB, exp.pageBytes),
    0,
  )
  if (needBytes > haveBytes) {
    issues.push({
      path: 'workload.regions',
      message: `need ${formatBytes(needBytes)} but topology "${exp.topology.name}" has ${formatBytes(haveBytes)} of memory in all; shrink the regions or add memory to the topology`,
    })
  }
  return issues
}
