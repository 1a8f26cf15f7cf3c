import type { ApiInput } from '../../../../../shared/api/contract'
import { parseDocument, type FieldIssue } from '../../../../../shared/formats/parse'
import type { Topology } from '../../../../../shared/formats/topology'
import { formatTag } from '../../../../../shared/formats/version'
import { toPlain } from '../../../lib/plain'
import type { Workload } from '../../../../../shared/formats/workload'

/** A topology or workload as an experiment file names it: a preset id, or the document inline. */
export type DocRef<T> = { preset: string } | T

/** The run settings of the builder; '' is an emptied field, reported by the schema. */
export interface RunSettings {
  name: string
  seed: number | ''
  durationS: number | ''
  epochMs: number | ''
  pageBytes: 4096 | 2097152
}

export const DEFAULT_SETTINGS: RunSettings = {
  name: 'Experiment',
  seed: 1,
  // Short enough that a run of a preset finishes in seconds; raise it for real studies.
  durationS: 10,
  epochMs: 10,
  pageBytes: 4096,
}

export interface ExperimentBase {
  settings: RunSettings
  topology: DocRef<Topology>
  workload: DocRef<Workload>
}

export interface PolicyChoice {
  id: string
  params: Record<string, unknown>
}

/** The `tierlab.experiment/v1` document for one policy (DESIGN.md §8). */
export function experimentDoc(base: ExperimentBase, policy: PolicyChoice, multi: boolean) {
  const { settings } = base
  return {
    format: formatTag('experiment'),
    // With several policies each run is named after its policy, so the archive tells them apart.
    name: multi ? `${settings.name} · ${policy.id}` : settings.name,
    topology: base.topology,
    workload: base.workload,
    // Saved user policies are listed as library:NAME; the run inlines and archives their source.
    policy: policy.id.startsWith('library:')
      ? { script: policy.id, params: policy.params }
      : { id: policy.id, params: policy.params },
    pageBytes: settings.pageBytes,
    durationS: settings.durationS,
    epochMs: settings.epochMs,
    seed: settings.seed,
  }
}
export type ExperimentDoc = ReturnType<typeof experimentDoc>

/**
 * The settings' issues as the experiment schema reports them (paths `durationS`, `seed`, …). The
 * topology and workload are checked by their own forms, so a stand-in policy is enough here.
 */
export function settingsIssues(base: ExperimentBase): FieldIssue[] {
  const doc = experimentDoc(base, { id: 'any', params: {} }, false)
  const res = parseDocument('experiment', doc)
  return res.ok ? [] : res.issues.filter((i) => !/^(topology|workload)\b/.test(i.path))
}

/**
 * A tag shared by the runs queued together, so the archive can find them as a set:
 * `set:<name>@<UTC time>` within the 60 characters a tag may have.
 */
export function groupTag(name: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 36)
  return `set:${slug || 'experiment'}@${stamp}`
}

/** One runs.start input per selected policy, all carrying the same group tag. */
export function runStartInputs(
  base: ExperimentBase,
  policies: readonly PolicyChoice[],
  tag: string,
): Array<ApiInput<'runs.start'>> {
  return policies.map((p) => ({
    experiment: toPlain(experimentDoc(base, p, policies.length > 1)),
    tags: [tag],
  }))
}

export type SweepValue = number | string | boolean

/**
 * `4, 8, 16` → [4, 8, 16]. Numbers for numeric targets, true/false for flags, the option names
 * for enums; one message naming the bad entry otherwise.
 */
export function parseSweepValues(
  text: string,
  kind: 'number' | 'boolean' | 'select',
  options: readonly string[] = [],
): { ok: true; values: SweepValue[] } | { ok: false; message: string } {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (parts.length === 0) return { ok: false, message: 'enter at least one value, e.g. 1, 2, 4' }
  if (parts.length > 200) return { ok: false, message: 'at most 200 values per sweep' }
  const values: SweepValue[] = []
  for (const p of parts) {
    if (kind === 'number') {
      const n = Number(p)
      if (!Number.isFinite(n)) return { ok: false, message: `"${p}" is not a number` }
      values.push(n)
    } else if (kind === 'boolean') {
      if (p !== 'true' && p !== 'false')
        return { ok: false, message: `"${p}" is not true or false` }
      values.push(p === 'true')
    } else {
      if (!options.includes(p))
        return { ok: false, message: `"${p}" is not one of ${options.join(', ')}` }
      values.push(p)
    }
  }
  return { ok: true, values }
}

export function sweepInput(
  experiment: ExperimentDoc,
  knob: string,
  values: SweepValue[],
  tag: string,
): ApiInput<'runs.sweep'> {
  return { experiment: toPlain(experiment), knob, values, tags: [tag] }
}
