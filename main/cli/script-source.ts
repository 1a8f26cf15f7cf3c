import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { MAX_SCRIPT_CHARS } from '../../shared/formats/experiment'
import { badInput } from './errors'

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Reads a policy script's text; one sentence naming the file and the fix otherwise. */
export async function readScriptFile(path: string, label = path): Promise<string> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw badInput(
      code === 'ENOENT'
        ? `${label}: the policy script does not exist; check the path`
        : code === 'EISDIR'
          ? `${label}: is a folder; give the path of a .js or .ts policy script`
          : `${label}: cannot be read (${code ?? (err as Error).message}); check its permissions`,
    )
  }
  if (text.length > MAX_SCRIPT_CHARS)
    throw badInput(
      `${label}: the policy script has ${text.length} characters, more than ${MAX_SCRIPT_CHARS}; keep data out of the script`,
    )
  return text
}

/**
 * An experiment that names a script (`"policy": { "script": "./p.js" }`) gets the script's text
 * inlined as `policy.source`, read relative to the experiment file, so the run archives the code
 * it ran. A `source` already there (an exported or archived experiment) is kept: its sha256 is
 * checked when the run is queued. `library:NAME` is left to the services (saved policies).
 */
export async function inlineScriptSource(doc: unknown, experimentFile: string): Promise<unknown> {
  if (!isObject(doc) || !isObject(doc.policy)) return doc
  const { script, source } = doc.policy
  if (typeof script !== 'string' || source !== undefined || script.startsWith('library:'))
    return doc
  const path = resolve(dirname(experimentFile), script)
  const text = await readScriptFile(path, `${experimentFile}: policy.script "${script}" (${path})`)
  return { ...doc, policy: { ...doc.policy, source: text } }
}
