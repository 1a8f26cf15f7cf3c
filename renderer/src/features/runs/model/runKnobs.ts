import type { Experiment } from '../../../../../shared/formats/experiment'
import { formatBytes } from '../../../../../shared/units'

/** One knob of a run as the details pane lists it. */
export interface KnobRow {
  name: string
  value: string
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))

/**
 * What was set for a run: the policy's parameters as given (the rest are the policy's defaults,
 * listed by `tierlab policies`), then the run settings.
 */
export function runKnobs(experiment: Experiment): KnobRow[] {
  const params = (experiment.policy.params ?? {}) as Record<string, unknown>
  const rows: KnobRow[] = Object.entries(params).map(([name, v]) => ({ name, value: show(v) }))
  if (rows.length === 0) rows.push({ name: 'policy knobs', value: 'defaults' })
  rows.push(
    { name: 'page size', value: formatBytes(experiment.pageBytes) },
    { name: 'duration', value: `${experiment.durationS} s` },
    { name: 'epoch', value: `${experiment.epochMs} ms` },
    { name: 'seed', value: String(experiment.seed) },
  )
  return rows
}
