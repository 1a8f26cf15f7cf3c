import { ApiError } from '../../../shared/api'
import type { FieldIssue } from '../../../shared/formats'
import type { PolicyRef } from '../../../shared/formats/experiment'
import { definitionOf, SimulationInputError, type ResolvedExperiment } from '../../engine'
import { compileScriptPolicy, PolicyScriptError, scriptHash } from '../../engine'

/**
 * A script policy carries its source (filled in from the file by whoever read the experiment) and
 * that source's sha256: a mismatch means the archived code was edited, and a rerun would not run
 * what the archive says. The hash is filled in here when missing, so every queued run has it.
 */
export function scriptPolicyIssues(p: PolicyRef): FieldIssue[] {
  if (p.source === undefined)
    return [
      {
        path: 'policy.script',
        message: `names "${p.script}" but the experiment carries no source for it; run the experiment file with \`tierlab run\` (the path is read relative to the file) or pick a saved policy in the app`,
      },
    ]
  const hash = scriptHash(p.source)
  if (p.sourceSha256 !== undefined && p.sourceSha256 !== hash)
    return [
      {
        path: 'policy.sourceSha256',
        message: `does not match the script's source (its sha256 is ${hash}): the source was changed after it was archived; restore it, or remove sourceSha256 to run the new source`,
      },
    ]
  p.sourceSha256 = hash
  return []
}

/** The script's file name as errors show it. */
export function scriptFileName(p: PolicyRef): string {
  return (
    (p.script ?? 'policy.js')
      .replace(/^library:/, '')
      .split(/[\\/]/)
      .pop() ?? 'policy.js'
  )
}

/**
 * Loads the script in a sandbox once and checks its knobs against the experiment's params, so a
 * script that cannot load is refused before a run is queued (nothing reaches the archive).
 */
export async function checkScriptPolicy(exp: ResolvedExperiment): Promise<void> {
  const p = exp.policy
  if (p.script === undefined || p.source === undefined) return
  try {
    const script = await compileScriptPolicy(p.source, {
      fileName: scriptFileName(p),
      limits: p.limits,
    })
    try {
      definitionOf(script.def, script.def.id, p.params ?? {})
    } finally {
      script.dispose()
    }
  } catch (err) {
    if (!(err instanceof SimulationInputError)) throw err
    // The issue reads "FILE: policy.script "p.js" line 3: …" once the CLI names the file.
    const message =
      err instanceof PolicyScriptError
        ? `"${err.script}"${err.line !== undefined ? ` line ${err.line}` : ''}: ${err.detail}`
        : err.message
    throw new ApiError('invalid-input', err.message, [{ path: 'policy.script', message }])
  }
}
