import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runSimulation, type ResolvedExperiment } from '../../../../../../main/engine'
import { compileScriptPolicy } from '../../../../../../main/engine/policies/script'
import type { ScriptLimits } from '../../../../../../main/engine/policies/script/limits'
import { experiment, singleRegion, socketPlusCxl } from '../../sim/fixtures'

export const TEMPLATES = join(__dirname, '../../../../../../resources/policy-templates')

/** One second of a small hot set on socket + CXL at 4 KiB: enough for every hook to run. */
export const smallExperiment = (): ResolvedExperiment =>
  experiment(
    socketPlusCxl(0.0625, 0.25),
    singleRegion(0.125, { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.95 }),
    'first-touch',
    {},
    { pageBytes: 4096, durationS: 1 },
  )

export function template(name: string): string {
  return readFileSync(join(TEMPLATES, name), 'utf8')
}

/** Runs `exp` with the script as its policy; the sandbox is disposed afterwards. */
export async function runScript(
  exp: ResolvedExperiment,
  source: string,
  fileName = 'policy.js',
  limits: Partial<ScriptLimits> = {},
) {
  const script = await compileScriptPolicy(source, { fileName, limits })
  try {
    const scripted: ResolvedExperiment = {
      ...exp,
      policy: { script: fileName, source, params: exp.policy.params },
    }
    const result = runSimulation(scripted, script.def)
    return { ...result, logs: script.takeLogs() }
  } finally {
    script.dispose()
  }
}
