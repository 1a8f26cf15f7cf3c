import { existsSync, readdirSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { ApiError } from '../../../shared/api'
import {
  jsonText,
  MAX_SCRIPT_CHARS,
  parseDocument,
  STUDY_NAME,
  summariseIssues,
  type Study,
} from '../../../shared/formats'

/** A study read from its folder: the parsed study and its base experiment with scripts inlined. */
export interface LoadedStudy {
  /** The folder name under resources/studies (or the file's folder for a study given by path). */
  name: string
  /** The study file, as errors name it. */
  file: string
  study: Study
  /** The base experiment document (not yet validated: planStudy does that per variant). */
  base: Record<string, unknown>
  /** Each variant's policy with a script's source read (relative to the study file). */
  policies: Map<string, Study['variants'][number]['policy']>
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const bad = (message: string) => new ApiError('invalid-input', message)

export function studiesDir(resourcesDir: string): string {
  return join(resourcesDir, 'studies')
}

/** The names of the studies shipped in resources/studies (folders holding a study.json). */
export function listStudyNames(resourcesDir: string): string[] {
  const dir = studiesDir(resourcesDir)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((n) => STUDY_NAME.test(n) && existsSync(join(dir, n, 'study.json')))
    .sort()
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw bad(
      code === 'ENOENT'
        ? `${what}: ${file} does not exist; check the path`
        : `${what}: ${file} cannot be read (${code ?? (err as Error).message}); check its permissions`,
    )
  }
}

async function readJson(file: string, what: string): Promise<unknown> {
  const decoded = jsonText(await readText(file, what))
  if (!decoded.ok) throw bad(`${file}: ${decoded.message}`)
  try {
    return JSON.parse(decoded.text) as unknown
  } catch (err) {
    throw bad(`${file}: is not valid JSON (${(err as Error).message}); fix the syntax`)
  }
}

/** A policy naming a script file gets the file's text as `source`, read relative to `from`. */
async function withScriptSource<T extends { script?: string; source?: string }>(
  policy: T,
  from: string,
  where: string,
): Promise<T> {
  if (policy.script === undefined || policy.source !== undefined) return policy
  if (policy.script.startsWith('library:'))
    throw bad(
      `${where}: names "${policy.script}", a script saved in one app's database; studies ship their scripts, so give a path relative to the study file`,
    )
  const path = resolve(dirname(from), policy.script)
  const source = await readText(path, `${where} "${policy.script}"`)
  if (source.length > MAX_SCRIPT_CHARS)
    throw bad(`${where}: ${path} has more than ${MAX_SCRIPT_CHARS} characters; keep data out of it`)
  return { ...policy, source }
}

/**
 * Where a study lives: a name from resources/studies, a study folder, or a study.json path.
 * An unknown name is one sentence naming the studies there are.
 */
export function locateStudy(
  nameOrPath: string,
  resourcesDir: string,
): { name: string; file: string } {
  const looksLikePath = /[\\/]/.test(nameOrPath) || nameOrPath.endsWith('.json')
  if (looksLikePath) {
    const p = resolve(nameOrPath)
    const file = existsSync(p) && statSync(p).isDirectory() ? join(p, 'study.json') : p
    if (!existsSync(file)) throw bad(`${nameOrPath}: no study file there; check the path`)
    return { name: basename(dirname(file)), file }
  }
  const names = listStudyNames(resourcesDir)
  if (!names.includes(nameOrPath))
    throw bad(
      `study "${nameOrPath}" is not in resources/studies; use one of ${names.join(', ') || '(none)'} (tierlab study --list)`,
    )
  return { name: nameOrPath, file: join(studiesDir(resourcesDir), nameOrPath, 'study.json') }
}

/** Reads and validates a study and its base experiment; ApiError('invalid-input') naming the file and field. */
export async function loadStudy(nameOrPath: string, resourcesDir: string): Promise<LoadedStudy> {
  const { name, file } = locateStudy(nameOrPath, resourcesDir)
  const parsed = parseDocument('study', await readJson(file, 'study'))
  if (!parsed.ok)
    throw new ApiError('invalid-input', summariseIssues(file, parsed.issues), parsed.issues)
  const study = parsed.value
  let base: unknown
  let baseFile = file
  if (typeof study.experiment === 'string') {
    baseFile = resolve(dirname(file), study.experiment)
    base = await readJson(baseFile, `${file}: experiment`)
  } else base = study.experiment
  if (!isObject(base))
    throw bad(`${baseFile}: the experiment must be a tierlab.experiment/v1 object`)
  if (isObject(base.policy))
    base = {
      ...base,
      policy: await withScriptSource(base.policy, baseFile, `${baseFile}: policy.script`),
    }
  const policies = new Map<string, Study['variants'][number]['policy']>()
  for (const [i, v] of study.variants.entries()) {
    policies.set(
      v.id,
      v.policy && (await withScriptSource(v.policy, file, `${file}: variants[${i}].policy.script`)),
    )
  }
  return { name, file, study, base: base as Record<string, unknown>, policies }
}
