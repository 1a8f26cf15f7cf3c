import { ApiError } from '../../../shared/api'
import { summariseIssues, sweepRunId } from '../../../shared/formats'
import { SUMMARY_METRICS } from '../../../shared/metrics/catalogue'
import type { ResolvedExperiment } from '../../engine'
import type { PresetCatalog } from '../experiments/catalog'
import { setKnob, type KnobValue } from '../experiments/knob-path'
import { checkExperiment } from '../experiments/resolve-experiment'
import { scaleExperiment } from '../experiments/scale'
import { checkScriptPolicy } from '../experiments/script-policy'
import type { LoadedStudy } from './load'

/** One run of a study: which variant (and sweep value) and the experiment to queue. */
export interface PlannedStudyRun {
  /** `nbt-async`, or `rate@256` for a sweep value: what claims name. */
  id: string
  variant: string
  label: string
  sweep?: { knob: string; value: KnobValue }
  /** Presets inlined, scaled, validated: runs.start takes it as is. */
  experiment: ResolvedExperiment
}

/** `process.<id>.throughputOpsPerS` or `process.<id>.meanLatencyNs`: a per-process result. */
export const PROCESS_METRIC = /^process\.([^.]+)\.(throughputOpsPerS|meanLatencyNs)$/

/** Whether a study may chart or claim this metric key. */
export function isStudyMetric(key: string): boolean {
  return key in SUMMARY_METRICS || PROCESS_METRIC.test(key)
}

const bad = (message: string) => new ApiError('invalid-input', message)

/** A sweep run's label: `{value}` in the variant's label replaced, or the value appended. */
export function sweepLabel(label: string, value: KnobValue): string {
  return label.includes('{value}')
    ? label.replaceAll('{value}', String(value))
    : `${label} ${String(value)}`
}

/**
 * Every run of the study, each checked as `tierlab run` would check it (presets, knobs, the
 * policy id against this build's registry, a script loaded in its sandbox), before any is queued:
 * a study with one bad variant archives nothing. `scale` shrinks memory, threads and byte-valued
 * knobs together (scaleExperiment), for quick looks and the tests.
 */
export async function planStudy(
  loaded: LoadedStudy,
  catalog: PresetCatalog,
  options: { scale?: number } = {},
): Promise<PlannedStudyRun[]> {
  const { study, file } = loaded
  const scale = options.scale ?? 1
  for (const [where, keys] of [
    ['metrics', study.metrics],
    ...study.claims.map((c, i) => [`claims[${i}].metric`, [c.metric]] as const),
  ] as const) {
    const unknown = keys.find((k) => !isStudyMetric(k))
    if (unknown !== undefined)
      throw bad(
        `${file}: ${where}: "${unknown}" is not a summary metric; use a key of \`tierlab run --json\`'s summary (e.g. throughputOpsPerS) or process.<id>.throughputOpsPerS`,
      )
  }
  const runs: PlannedStudyRun[] = []
  for (const [i, v] of study.variants.entries()) {
    const where = `${file}: variants[${i}] ("${v.id}")`
    let doc: unknown = structuredClone(loaded.base)
    const policy = loaded.policies.get(v.id)
    if (policy) (doc as Record<string, unknown>).policy = structuredClone(policy)
    const points: Array<{ knob: string; value: KnobValue } | undefined> = v.sweep
      ? v.sweep.values.map((value) => ({ knob: v.sweep!.knob, value }))
      : [undefined]
    try {
      for (const [path, value] of Object.entries(v.overrides)) doc = setKnob(doc, path, value)
    } catch (err) {
      throw bad(`${where}: overrides: ${(err as Error).message.replace(/^knob: /, '')}`)
    }
    for (const point of points) {
      let one = doc
      if (point) {
        try {
          one = setKnob(doc, point.knob, point.value)
        } catch (err) {
          throw bad(`${where}: sweep: ${(err as Error).message.replace(/^knob: /, '')}`)
        }
      }
      const name = `${study.title}: ${v.label}${point ? ` (${point.knob.split('.').pop()}=${String(point.value)})` : ''}`
      ;(one as Record<string, unknown>).name = name.slice(0, 200)
      const checked = checkExperiment(one, catalog)
      if (!checked.ok)
        throw new ApiError('invalid-input', summariseIssues(where, checked.issues), checked.issues)
      try {
        await checkScriptPolicy(checked.experiment)
      } catch (err) {
        if (err instanceof ApiError)
          throw bad(`${where}: ${err.issues?.[0]?.message ?? err.message}`)
        throw err
      }
      runs.push({
        id: point ? sweepRunId(v.id, point.value) : v.id,
        variant: v.id,
        label: point ? sweepLabel(v.label, point.value) : v.label,
        sweep: point,
        experiment: scaleExperiment(checked.experiment, scale),
      })
    }
  }
  return runs
}
