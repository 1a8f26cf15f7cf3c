import type { SweepValue } from './runs'

/**
 * Sweeps: a grid of knob values (the cartesian product of each knob's values) times N replicate
 * seeds per point. Shapes and limits shared by the API, the CLI and the sweep view.
 */

/** Above this many runs a sweep must be confirmed (`--yes`): a typo in a grid can mean 100,000. */
export const SWEEP_CONFIRM_RUNS = 1000
/** No sweep queues more runs than this, confirmed or not. */
export const SWEEP_MAX_RUNS = 100_000
export const SWEEP_MAX_KNOBS = 4
export const SWEEP_MAX_REPLICATES = 100

export interface SweepAxis {
  /** A field path such as `policy.params.hotThresholdMs`. */
  knob: string
  values: SweepValue[]
}

/** One sweep of the archive (a batch) as the sweep view lists it. */
export interface SweepInfo {
  sweep: string
  name: string
  /** Knob paths of its grid, in order; empty for a batch queued without grid points. */
  knobs: string[]
  runs: number
  done: number
  createdAt: string
}

/** Points × replicates, computed without expanding the grid. */
export function sweepRunCount(grid: readonly SweepAxis[], replicates: number): number {
  return grid.reduce((n, axis) => n * axis.values.length, 1) * replicates
}

/** The grid's points in row-major order (the first knob varies slowest). */
export function gridPoints(grid: readonly SweepAxis[]): Array<Record<string, SweepValue>> {
  let points: Array<Record<string, SweepValue>> = [{}]
  for (const axis of grid) {
    points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.knob]: v })))
  }
  return points
}

/** `policy.params.hotThresholdMs=5, lanes=8`: a point as people read it. */
export function describePoint(point: Record<string, SweepValue>): string {
  return Object.entries(point)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ')
}

const fmtCount = (n: number) => n.toLocaleString('en-US')

/**
 * Why a sweep of this size cannot be queued as asked, or null: more than SWEEP_MAX_RUNS runs, or
 * more than SWEEP_CONFIRM_RUNS without confirmation. Checked before anything is stored.
 */
export function sweepSizeProblem(
  grid: readonly SweepAxis[],
  replicates: number,
  confirmed: boolean,
): string | null {
  const total = sweepRunCount(grid, replicates)
  const shape = `${grid.map((a) => a.values.length).join(' × ')} points × ${replicates} replicate${replicates === 1 ? '' : 's'}`
  if (total > SWEEP_MAX_RUNS) {
    return `the sweep has ${fmtCount(total)} runs (${shape}), more than the limit of ${fmtCount(SWEEP_MAX_RUNS)}; use fewer values or replicates`
  }
  if (total > SWEEP_CONFIRM_RUNS && !confirmed) {
    return `the sweep has ${fmtCount(total)} runs (${shape}), more than ${fmtCount(SWEEP_CONFIRM_RUNS)}; check the grid and confirm with --yes`
  }
  return null
}
