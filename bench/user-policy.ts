import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BUILTIN_POLICIES, type ResolvedExperiment } from '../main/engine'
import { compileScriptPolicy } from '../main/engine/policies/script'
import { runSimulationCore } from '../main/engine/run'

/**
 * The user-script clone of numa-balancing-tiering (resources/policy-templates) on the reference
 * scenario, against the built-in: wall and CPU time (each the better of two, the machine is
 * shared), the ratio (target ≤ 5×), and whether the summaries are byte-identical.
 */
export async function benchUserPolicy(ref: ResolvedExperiment) {
  const source = readFileSync(
    join(import.meta.dirname, '..', 'resources', 'policy-templates', 'numa-balancing-tiering.js'),
    'utf8',
  )
  const time = <T>(f: () => T) => {
    const t0 = process.hrtime.bigint()
    const c0 = process.cpuUsage()
    const value = f()
    const c = process.cpuUsage(c0)
    return {
      value,
      wallS: Number(process.hrtime.bigint() - t0) / 1e9,
      cpuS: (c.user + c.system) / 1e6,
    }
  }
  const builtIn = [0, 1]
    .map(() => time(() => runSimulationCore(ref, BUILTIN_POLICIES)))
    .sort((a, b) => a.cpuS - b.cpuS)[0]
  const scripted = []
  let calls = 0
  for (let i = 0; i < 2; i++) {
    const script = await compileScriptPolicy(source, { fileName: 'numa-balancing-tiering.js' })
    try {
      const exp = {
        ...ref,
        policy: { script: 'numa-balancing-tiering.js', source, params: ref.policy.params },
      }
      scripted.push(time(() => runSimulationCore(exp, script.def)))
      calls = script.usage().calls
    } finally {
      script.dispose()
    }
  }
  const best = scripted.sort((a, b) => a.cpuS - b.cpuS)[0]
  return {
    builtInWallS: Number(builtIn.wallS.toFixed(3)),
    builtInCpuS: Number(builtIn.cpuS.toFixed(3)),
    scriptWallS: Number(best.wallS.toFixed(3)),
    scriptCpuS: Number(best.cpuS.toFixed(3)),
    cpuRatio: Number((best.cpuS / builtIn.cpuS).toFixed(2)),
    sandboxCalls: calls,
    hintFaults: best.value.summary.hintFaults,
    identicalSummary: JSON.stringify(best.value.summary) === JSON.stringify(builtIn.value.summary),
  }
}
