import { analyzeTopology } from './topology'
import { buildMachine } from './sim/machine'
import { SimulationInputError } from './sim/errors'
import { checkExactBudget, checkInitiators } from './sim/validate'
import { checkPolicyFits, definitionOf, type PolicySource } from './policies/resolve'
import { BUILTIN_POLICIES } from './policies/registry'
import type { ResolvedExperimentInput } from './sim/types'
import { checkWorkloadShape } from './workload'
import { formatBytes } from '../../shared/units'

/**
 * Everything the engine would refuse at the start of a run, checked in milliseconds and without
 * allocating per-frame state: hosts call it before a run is archived, so an experiment that
 * cannot run never leaves a "failed" run behind. Throws SimulationInputError, one sentence.
 * The run itself checks the same again (run.ts), so a check missing here fails late, never
 * silently.
 */
export function checkRunnable(
  exp: ResolvedExperimentInput,
  policies: PolicySource = BUILTIN_POLICIES,
): void {
  const analysis = analyzeTopology(exp.topology)
  checkInitiators(exp, analysis)
  // A user script's knobs are checked when its sandbox loads it (services/experiments/script-policy).
  if (exp.policy.script === undefined || !('find' in policies)) {
    const { def, knobs } = definitionOf(policies, exp.policy.id ?? '', exp.policy.params ?? {})
    try {
      def.checkMachine?.(knobs, analysis)
    } catch (e) {
      throw new SimulationInputError(
        `policy "${def.id}": ${e instanceof Error ? e.message : String(e)}`,
      )
    }
    checkPolicyFits(def, knobs, { experiment: exp, analysis })
  }
  let totalFrames: number
  try {
    ;({ totalFrames } = checkWorkloadShape(exp.workload, exp.pageBytes))
  } catch (e) {
    throw new SimulationInputError(e instanceof Error ? e.message : String(e))
  }
  const needBytes = totalFrames * exp.pageBytes
  const haveBytes = analysis.nodes.reduce((s, n) => s + n.capacityBytes, 0)
  if (needBytes > haveBytes)
    throw new SimulationInputError(
      `the workload needs ${formatBytes(needBytes)} (${needBytes} bytes) of memory but topology "${exp.topology.name}" has ${formatBytes(haveBytes)} (${haveBytes} bytes); shrink the regions or add memory`,
    )

  // Each process's reference access rate at its home node's idle latency, as the run starts
  // from (run.ts): an operation time that overflows makes every result 0.
  const machine = buildMachine(exp.topology, analysis, exp.pageBytes)
  const N = machine.nodes.length
  let accesses = 0
  for (const p of exp.workload.processes) {
    const k = machine.initiatorIndex.get(p.initiator)!
    const home = machine.initiators[k].homeNode
    const latencyNs = machine.paths[k * N + home]?.readNs ?? 100
    const opNs = p.computeNsPerOp + (p.accessesPerOp * latencyNs) / p.mlp
    const accessesPerS = ((p.threads * 1e9) / opNs) * p.accessesPerOp
    const opsInRun = ((p.threads * 1e9) / opNs) * exp.durationS
    if (!Number.isFinite(accessesPerS) || !(accessesPerS > 0) || !(opsInRun >= 1))
      throw new SimulationInputError(
        `process "${p.id}": ${p.threads} threads at ${p.computeNsPerOp} ns of compute and ${p.accessesPerOp} accesses per operation (mlp ${p.mlp}) complete ${Number.isFinite(opsInRun) ? opsInRun.toPrecision(3) : 'no countable number of'} operations in ${exp.durationS} s, so every result would be 0; use values a real process has (computeNsPerOp ≤ 1e9, accessesPerOp ≤ 1e6)`,
      )
    accesses += accessesPerS * exp.durationS
  }
  if (exp.mode === 'exact') checkExactBudget(accesses)
}
