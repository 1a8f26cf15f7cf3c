import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BUILTIN_POLICIES, type ResolvedExperiment } from '../main/engine'
import { compileScriptPolicy } from '../main/engine/policies/script'
import { runSimulationCore } from '../main/engine/run'

/**
 * The user-script clone of numa-balancing-tiering (resources/policy-templates) on the reference
 * scenario, against the built-in: wall and CPU time (each the better of two, the machine is
 * shared; the two sides alternate), the ratio (target ≤ 5×), and whether the summaries are
 * byte-identical.
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
  // Built-in and script alternate (B S B S), so a slow spell of this shared host weighs on both
  // sides rather than on whichever ran in it; each side's best CPU time counts.
  const builtIns: Array<ReturnType<typeof time<ReturnType<typeof runSimulationCore>>>> = []
  const scripted: typeof builtIns = []
  let calls = 0
  for (let i = 0; i < 2; i++) {
    builtIns.push(time(() => runSimulationCore(ref, BUILTIN_POLICIES)))
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
  const builtIn = builtIns.sort((a, b) => a.cpuS - b.cpuS)[0]
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
