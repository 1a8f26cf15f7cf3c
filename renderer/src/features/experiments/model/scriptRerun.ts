import type { UserPolicySummary } from '../../../../../shared/user-policies'

/** Where an archived script goes in the library so "Rerun with changes" can select it. */
export interface ScriptLibraryPlan {
  /** The library name (a file name) the builder selects as `library:NAME`. */
  name: string
  /** True when the library already holds this exact source under that name: nothing to save. */
  reuse: boolean
}

/**
 * A run of a script file (`./my-policy.js` given to `tierlab run`) names a file the app cannot
 * read; the run archived the source, so the rerun saves that source in the library. It reuses a
 * saved policy whose newest version has the same hash, keeps the file's own name when it is free,
 * and otherwise adds the run id, so a rerun never overwrites someone's saved policy.
 */
export function planScriptRerun(
  scriptPath: string,
  sourceSha256: string | undefined,
  runId: number,
  saved: readonly UserPolicySummary[],
): ScriptLibraryPlan {
  const same = sourceSha256 ? saved.find((p) => p.sourceSha256 === sourceSha256) : undefined
  if (same) return { name: same.name, reuse: true }
  const base = scriptPath.split(/[\\/]/).pop() ?? 'policy.js'
  const ext = /\.ts$/i.test(base) ? 'ts' : 'js'
  const stem =
    base
      .replace(/\.(js|ts|mjs)$/i, '')
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 60) || 'policy'
  const taken = new Set(saved.map((p) => p.name))
  const plain = `${stem}.${ext}`
  if (!taken.has(plain)) return { name: plain, reuse: false }
  for (let i = 0; ; i++) {
    const name = `${stem}-run${runId}${i ? `-${i}` : ''}.${ext}`
    if (!taken.has(name)) return { name, reuse: false }
  }
}
