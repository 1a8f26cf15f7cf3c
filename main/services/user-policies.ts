import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ApiError, type PolicyInfo } from '../../shared/api'
import type { PolicyRef } from '../../shared/formats/experiment'
import type { PolicyTemplate, ScriptCheckResult } from '../../shared/user-policies'
import { SimulationInputError } from '../engine'
import { compileScriptPolicy, languageOf, PolicyScriptError, scriptHash } from '../engine'
import { policyInfo } from '../engine'
import type { Store } from '../store'
import { listPolicyInfos } from './policies'
import type { ApiHandlers, ServiceEvents } from './types'

type Method =
  | 'policies.list'
  | 'policies.user.list'
  | 'policies.user.get'
  | 'policies.user.save'
  | 'policies.user.delete'
  | 'policies.check'
  | 'policies.templates'

/** How the builder names a saved script (`policy.script` of an experiment). */
export const LIBRARY_PREFIX = 'library:'

/** Loads a script in a throw-away sandbox: its problems (with lines) or its policy info. */
export async function checkScript(name: string, source: string): Promise<ScriptCheckResult> {
  try {
    const script = await compileScriptPolicy(source, { fileName: name })
    try {
      return {
        ok: true,
        diagnostics: [],
        policy: { ...policyInfo(script.def), id: `${LIBRARY_PREFIX}${name}` },
      }
    } finally {
      script.dispose()
    }
  } catch (err) {
    if (!(err instanceof SimulationInputError)) throw err
    const line = err instanceof PolicyScriptError ? (err.line ?? null) : null
    return { ok: false, diagnostics: [{ line, message: err.message }] }
  }
}

/** Policy info of saved scripts, cached by source hash (loading one costs a sandbox). */
function createInfoCache() {
  const bySha = new Map<string, PolicyInfo | null>()
  return async (name: string, source: string, sha: string): Promise<PolicyInfo | null> => {
    const key = `${name}\n${sha}`
    if (!bySha.has(key)) bySha.set(key, (await checkScript(name, source)).policy ?? null)
    return bySha.get(key) ?? null
  }
}

export async function loadTemplates(resourcesDir: string): Promise<PolicyTemplate[]> {
  const dir = join(resourcesDir, 'policy-templates')
  const files = (await readdir(dir)).filter((f) => /\.(js|ts)$/.test(f)).sort()
  return Promise.all(
    files.map(async (name) => {
      const source = await readFile(join(dir, name), 'utf8')
      const title = /\bname:\s*(['"])(.+?)\1/.exec(source)?.[2] ?? name
      return { name, title, source }
    }),
  )
}

/** Built-in policies and saved scripts (those that load), as the experiment builder lists them. */
export async function listAllPolicyInfos(
  store: Store,
  info = createInfoCache(),
): Promise<PolicyInfo[]> {
  const user: PolicyInfo[] = []
  for (const p of store.userPolicies.list()) {
    const saved = store.userPolicies.get(p.name)
    const i = saved && (await info(p.name, saved.source, saved.sourceSha256))
    if (i) user.push(i)
  }
  return [...listPolicyInfos(), ...user]
}

/**
 * A `library:NAME` script reference gets the saved source (its newest version) inlined, so the
 * run archives the code itself, not a name that may change.
 */
export function inlineLibraryScript(raw: unknown, store: Store): unknown {
  if (typeof raw !== 'object' || raw === null) return raw
  const doc = raw as { policy?: PolicyRef }
  const script = doc.policy?.script
  if (typeof script !== 'string' || !script.startsWith(LIBRARY_PREFIX) || doc.policy?.source)
    return raw
  const name = script.slice(LIBRARY_PREFIX.length)
  const saved = store.userPolicies.get(name)
  if (!saved)
    throw new ApiError(
      'invalid-input',
      `policy.script: there is no saved policy "${name}"; save it in the Policies view or pick another`,
      [{ path: 'policy.script', message: `there is no saved policy "${name}"` }],
    )
  return { ...doc, policy: { ...doc.policy, source: saved.source } }
}

export function createUserPolicyHandlers(
  store: Store,
  resourcesDir: string,
  events: ServiceEvents,
): Pick<ApiHandlers, Method> {
  const info = createInfoCache()
  return {
    'policies.list': () => listAllPolicyInfos(store, info),
    'policies.user.list': async () => store.userPolicies.list(),
    'policies.user.get': async ({ name, version }) => {
      const p = store.userPolicies.get(name, version)
      if (!p)
        throw new ApiError(
          'not-found',
          `There is no saved policy "${name}"${version ? ` version ${version}` : ''}; list them to see which exist.`,
        )
      return p
    },
    'policies.user.save': async ({ name, source }) => {
      const checked = await checkScript(name, source)
      const saved = store.userPolicies.save({
        name,
        language: languageOf(name),
        source,
        sourceSha256: scriptHash(source),
        title: checked.policy?.name ?? '',
        description: checked.policy?.description ?? '',
      })
      events.emit({ type: 'changed', what: 'policies' })
      return saved
    },
    'policies.user.delete': async ({ name }) => {
      const deleted = store.userPolicies.delete(name)
      if (deleted) events.emit({ type: 'changed', what: 'policies' })
      return { deleted }
    },
    'policies.check': ({ name, source }) => checkScript(name, source),
    'policies.templates': () => loadTemplates(resourcesDir),
  }
}
