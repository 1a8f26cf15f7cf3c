import type { SweepAxis } from '../../../shared/sweeps'
import { SWEEP_MAX_REPLICATES } from '../../../shared/sweeps'
import { parseKnobValues } from '../../services/experiments'
import { badInput } from '../errors'

export interface SweepArgs {
  knob: string[]
  values: string[]
  replicates?: string
}

/** Commander's collector for a repeatable option. */
export const collect = (value: string, previous: string[] = []) => [...previous, value]

/**
 * `--knob A --values 1,2 --knob B --values x,y` → a two-knob grid. Knobs and values pair up in
 * the order given; every mistake is one sentence naming the option and the fix.
 */
export function parseSweepArgs(args: SweepArgs): { grid: SweepAxis[]; replicates: number } {
  if (args.knob.length !== args.values.length) {
    throw badInput(
      `--knob and --values come in pairs: got ${args.knob.length} --knob and ${args.values.length} --values; give one --values after each --knob`,
    )
  }
  const grid = args.knob.map((knob, i) => {
    const values = parseKnobValues(args.values[i])
    if (values.length === 0) {
      throw badInput(`--values for ${knob}: give at least one value, e.g. --values 1,2,3`)
    }
    return { knob, values }
  })
  let replicates = 1
  if (args.replicates !== undefined) {
    replicates = Number(args.replicates)
    if (!/^\d+$/.test(args.replicates) || replicates < 1 || replicates > SWEEP_MAX_REPLICATES) {
      throw badInput(
        `--replicates: "${args.replicates}" is not a whole number from 1 to ${SWEEP_MAX_REPLICATES}; give the seeds per point, e.g. --replicates 5`,
      )
    }
  }
  return { grid, replicates }
}
