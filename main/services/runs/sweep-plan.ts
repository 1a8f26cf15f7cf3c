import { withEffectiveKnobs } from '../experiments/effective-knobs'
import { randomUUID } from 'node:crypto'
import { ApiError } from '../../../shared/api'
import { summariseIssues } from '../../../shared/formats'
import type { SweepValue } from '../../../shared/runs'
import {
  describePoint,
  gridPoints,
  sweepSizeProblem,
  SWEEP_MAX_KNOBS,
  type SweepAxis,
} from '../../../shared/sweeps'
import { ENGINE_VERSION, type ResolvedExperiment } from '../../engine'
import { queueJobId } from '../../store'
import { createPresetSource, type PresetCatalog } from '../experiments/catalog'
import { resolveResourcesDir } from '../resources'
import { parseKnobPath, setKnob } from '../experiments/knob-path'
import { checkExperiment, resolveExperiment } from '../experiments/resolve-experiment'

export interface SweepRequest {
  experiment: unknown
  grid: SweepAxis[]
  /** Seeds per point: the base seed, +1, +2, … */
  replicates: number
  /** The user accepted a sweep above SWEEP_CONFIRM_RUNS runs. */
  confirmed: boolean
}

export interface PlannedRun {
  name: string
  experiment: ResolvedExperiment
  point: Record<string, SweepValue>
  replicate: number
  /** The queue job id: hash of experiment, seed and engine version (store/runs/fingerprint). */
  jobId: string
}

export interface SweepPlan {
  batch: string
  base: ResolvedExperiment
  runs: PlannedRun[]
}

/**
 * Checks a sweep's size, then every variant, before anything is queued (a bad value or a grid too
 * large queues nothing), and lays the runs out point by point, replicates together.
 */
export function planSweep(request: SweepRequest, catalog: PresetCatalog): SweepPlan {
  const { grid, replicates } = request
  if (grid.length === 0 || grid.length > SWEEP_MAX_KNOBS) {
    throw new ApiError(
      'invalid-input',
      `knob: a sweep varies 1 to ${SWEEP_MAX_KNOBS} knobs, got ${grid.length}`,
    )
  }
  const seen = new Set<string>()
  for (const axis of grid) {
    parseKnobPath(axis.knob)
    if (seen.has(axis.knob)) {
      throw new ApiError(
        'invalid-input',
        `knob: "${axis.knob}" is given twice; give each knob once with all its values`,
      )
    }
    seen.add(axis.knob)
    if (axis.values.length === 0) {
      throw new ApiError('invalid-input', `values: "${axis.knob}" needs at least one value`)
    }
    // A repeated value would be the same job twice (same experiment, seed and engine).
    const repeated = axis.values.find((v, i) => axis.values.indexOf(v) !== i)
    if (repeated !== undefined) {
      throw new ApiError(
        'invalid-input',
        `values: ${JSON.stringify(repeated)} is given twice for "${axis.knob}"; give each value once (use --replicates for more seeds)`,
      )
    }
  }
  const tooBig = sweepSizeProblem(grid, replicates, request.confirmed)
  if (tooBig) throw new ApiError('invalid-input', tooBig)
  const base = resolveExperiment(request.experiment, catalog)
  const runs: PlannedRun[] = []
  for (const point of gridPoints(grid)) {
    let doc: unknown = base
    for (const [knob, value] of Object.entries(point)) doc = setKnob(doc, knob, value)
    const res = checkExperiment(doc, catalog)
    if (!res.ok) {
      throw new ApiError(
        'invalid-input',
        summariseIssues(describePoint(point), res.issues),
        res.issues,
      )
    }
    for (let replicate = 0; replicate < replicates; replicate++) {
      const seed = (res.experiment.seed + replicate) % 2 ** 32
      // Each point's effective knobs (a sweep over policy.id changes which knobs exist).
      const experiment = withEffectiveKnobs({ ...res.experiment, seed })
      runs.push({
        name: `${base.name} [${describePoint(point)}]${replicates > 1 ? ` #${replicate + 1}` : ''}`,
        experiment,
        point,
        replicate,
        jobId: queueJobId(experiment, seed, ENGINE_VERSION),
      })
    }
  }
  return { batch: `sweep-${randomUUID().slice(0, 8)}`, base, runs }
}

/** planSweep with the shipped presets, for commands that plan without running (Slurm). */
export async function planSweepWithPresets(
  request: SweepRequest,
  resourcesDir: string = resolveResourcesDir(),
): Promise<SweepPlan> {
  return planSweep(request, await createPresetSource(resourcesDir).catalog())
}
