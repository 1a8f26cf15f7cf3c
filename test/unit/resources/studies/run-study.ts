import {
  BUILTIN_POLICIES,
  compileScriptPolicy,
  runSimulation,
  type ResolvedExperiment,
} from '../../../../main/engine'
import { scriptFileName } from '../../../../main/services/experiments/script-policy'
import {
  evaluateClaims,
  loadStudy,
  planStudy,
  type ClaimOutcome,
  type StudyRunResult,
} from '../../../../main/services/studies'
import { presetCatalog, RESOURCES } from '../example-runs'

/** Runs one experiment in this thread, as the worker does (a script in its own sandbox). */
async function runOne(exp: ResolvedExperiment): Promise<StudyRunResult> {
  if (exp.policy.script !== undefined && exp.policy.source !== undefined) {
    const script = await compileScriptPolicy(exp.policy.source, {
      fileName: scriptFileName(exp.policy),
    })
    try {
      return runSimulation(exp, script.def)
    } finally {
      script.dispose()
    }
  }
  return runSimulation(exp, BUILTIN_POLICIES)
}

/**
 * A shipped study planned as `tierlab study NAME --scale F` plans it, each run simulated here
 * (no worker pool, no database), and its claims evaluated with the command's evaluator.
 */
export async function runStudyInProcess(
  name: string,
  scale: number,
): Promise<{ results: Map<string, StudyRunResult>; claims: ClaimOutcome[] }> {
  const loaded = await loadStudy(name, RESOURCES)
  const plan = await planStudy(loaded, await presetCatalog(), { scale })
  const results = new Map<string, StudyRunResult>()
  for (const run of plan) results.set(run.id, await runOne(run.experiment))
  return { results, claims: evaluateClaims(loaded.study.claims, results) }
}

/** The scale the shipped studies' tests run at: 1/128 of the memory (and threads). */
export const STUDY_TEST_SCALE = 1 / 128

/** Each failed claim as one line, so a broken study says which sentence the engine no longer shows. */
export function failedClaims(claims: readonly ClaimOutcome[]): string[] {
  return claims
    .filter((c) => !c.ok)
    .map((c) => `${c.claim.metric}: ${c.detail}${c.claim.says ? ` — "${c.claim.says}"` : ''}`)
}
