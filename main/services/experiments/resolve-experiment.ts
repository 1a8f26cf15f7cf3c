import { ApiError } from '../../../shared/api'
import {
  parseDocument,
  summariseIssues,
  type FieldIssue,
  type Topology,
  type Workload,
} from '../../../shared/formats'
import { checkRunnable, SimulationInputError, type ResolvedExperiment } from '../../engine'
import type { PresetCatalog } from './catalog'
import { crossDocumentIssues } from './cross-checks'

type Part = 'topology' | 'workload'

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function prefixed(part: Part, issues: FieldIssue[]): FieldIssue[] {
  return issues.map((i) => ({
    ...i,
    path: i.path === '(file)' ? part : `${part}.${i.path}`,
  }))
}

/**
 * One part of the experiment: a preset looked up in the catalog, or an inline document validated
 * with its own format tag so its issues name the field inside it (`topology.components[1]…`).
 */
function resolvePart(
  part: Part,
  value: unknown,
  presets: ReadonlyMap<string, Topology | Workload>,
): { value?: Topology | Workload; issues: FieldIssue[] } {
  if (value === undefined) return { issues: [] } // the experiment schema reports it missing
  if (isObject(value) && 'preset' in value) {
    const id = value.preset
    const extra = Object.keys(value).filter((k) => k !== 'preset')
    if (extra.length > 0) {
      return {
        issues: [
          {
            path: `${part}.${extra[0]}`,
            message: `a preset reference holds only "preset"; remove "${extra[0]}" or inline the whole ${part}`,
          },
        ],
      }
    }
    const found = typeof id === 'string' ? presets.get(id) : undefined
    if (!found) {
      return {
        issues: [
          {
            path: `${part}.preset`,
            message: `names ${JSON.stringify(id)}, which is not a ${part} preset; use one of ${[...presets.keys()].join(', ')}`,
          },
        ],
      }
    }
    return { value: structuredClone(found), issues: [] }
  }
  const parsed = parseDocument(part, value)
  return parsed.ok ? { value: parsed.value, issues: [] } : { issues: prefixed(part, parsed.issues) }
}

/** The issues of an experiment, or the experiment with its presets inlined. */
export function checkExperiment(
  raw: unknown,
  catalog: PresetCatalog,
): { ok: true; experiment: ResolvedExperiment } | { ok: false; issues: FieldIssue[] } {
  const doc = isObject(raw) ? raw : null
  const topology = resolvePart('topology', doc?.topology, catalog.topologies)
  const workload = resolvePart('workload', doc?.workload, catalog.workloads)
  const substituted = doc
    ? {
        ...doc,
        ...(topology.value ? { topology: topology.value } : {}),
        ...(workload.value ? { workload: workload.value } : {}),
      }
    : raw
  const parsed = parseDocument('experiment', substituted)
  const partIssues = [...topology.issues, ...workload.issues]
  if (!parsed.ok) {
    // An invalid part is reported once, by its own schema, not again as "wrong shape".
    const failedParts = [topology, workload]
      .map((p, i) => (p.issues.length > 0 ? (['topology', 'workload'] as const)[i] : null))
      .filter((p) => p !== null)
    const own = parsed.issues.filter(
      (i) => !failedParts.some((p) => i.path === p || i.path.startsWith(`${p}.`)),
    )
    return { ok: false, issues: [...partIssues, ...own] }
  }
  if (partIssues.length > 0) return { ok: false, issues: partIssues }
  const experiment = parsed.value as ResolvedExperiment
  const cross = crossDocumentIssues(experiment)
  if (cross.length > 0) return { ok: false, issues: cross }
  // What the engine would refuse once the run started (a trace pattern, conflicting layouts,
  // too many frames, exact mode over budget, rates that overflow): refused before it is archived.
  try {
    checkRunnable(experiment)
  } catch (err) {
    if (!(err instanceof SimulationInputError)) throw err
    return { ok: false, issues: [{ path: '(file)', message: err.message }] }
  }
  return { ok: true, experiment }
}

/**
 * Resolves a raw experiment for a run: presets inlined, every document validated, and the facts
 * that span documents checked. Throws ApiError('invalid-input') whose message is one sentence
 * naming the field and the fix, with every issue attached.
 */
export function resolveExperiment(raw: unknown, catalog: PresetCatalog): ResolvedExperiment {
  const res = checkExperiment(raw, catalog)
  if (!res.ok) {
    throw new ApiError('invalid-input', summariseIssues('experiment', res.issues), res.issues)
  }
  return res.experiment
}
