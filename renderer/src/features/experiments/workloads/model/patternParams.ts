import type { PatternKind } from '../../../../../../shared/formats/workload'

/** One numeric parameter of an access pattern, as the builder shows it. */
export interface PatternParam {
  key: string
  label: string
  unit?: string
  help?: string
}

/** How hot ranks cluster in the address space; absent means the engine's default (64). */
const CLUSTER: PatternParam = {
  key: 'clusterPages',
  label: 'Hot run',
  unit: '4 KiB pages',
  help: 'Consecutive hotness ranks kept together in memory, a power of two up to 512: 512 packs hot data into 2 MiB huge pages, 1 scatters it page by page. Empty: 64',
}

/** The numeric parameters each pattern kind takes, in form order (DESIGN.md §8). */
export const PATTERN_PARAMS: Readonly<Record<PatternKind, readonly PatternParam[]>> = {
  uniform: [],
  zipf: [{ key: 's', label: 'Skew s', help: "Zipf exponent; 0.99 is YCSB's default" }, CLUSTER],
  hotset: [
    {
      key: 'hotFraction',
      label: 'Hot fraction',
      unit: 'of region',
      help: 'Fraction of the region that is hot, 0..1',
    },
    {
      key: 'hotProbability',
      label: 'Hot probability',
      help: 'Probability that an access goes to the hot part, 0..1',
    },
    CLUSTER,
  ],
  'moving-window': [
    { key: 'widthFraction', label: 'Window width', unit: 'of region' },
    {
      key: 'periodS',
      label: 'Period',
      unit: 's',
      help: 'The window sweeps the region once per period',
    },
  ],
  scan: [],
  // A trace is named by its id (a text field of its own), not by numbers.
  trace: [],
}
