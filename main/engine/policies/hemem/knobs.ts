import { z } from 'zod'
import { knob } from '../knob'

/**
 * HeMem's knobs at the defaults of its SOSP'21 submission branch [HEMEM] (cuhk-mass/hemem
 * commit aaa78a9, pebs.h). Later commits moved them (4/4/10 with period 19997 on master; forks
 * such as Colloid's use a write threshold of 4): tiering-facts.md §6 lists the range.
 */
export const hememKnobs = z.strictObject({
  // SAMPLE_PERIOD 5003
  samplePeriod: knob(z.int().min(1).max(1_000_000_000).default(5003), {
    label: 'Sample period',
    unit: 'accesses',
    description: 'One PEBS sample per this many CPU accesses (SAMPLE_PERIOD).',
  }),
  // HOT_READ_THRESHOLD 8
  hotReadThreshold: knob(z.int().min(1).max(65_535).default(8), {
    label: 'Hot read threshold',
    unit: 'samples',
    description: 'A page is hot once this many sampled loads count (HOT_READ_THRESHOLD).',
  }),
  // HOT_WRITE_THRESHOLD 8
  hotWriteThreshold: knob(z.int().min(1).max(65_535).default(8), {
    label: 'Hot write threshold',
    unit: 'samples',
    description: 'A page is hot once this many sampled stores count (HOT_WRITE_THRESHOLD).',
  }),
  // PEBS_COOLING_THRESHOLD 18
  coolingThreshold: knob(z.int().min(1).max(65_535).default(18), {
    label: 'Cooling threshold',
    unit: 'samples',
    description:
      "When one page's load or store count passes this, every page's counts are halved (PEBS_COOLING_THRESHOLD).",
  }),
  // PEBS_KSWAPD_INTERVAL 10000 us
  passIntervalMs: knob(z.number().positive().max(3_600_000).default(10), {
    label: 'Migration pass interval',
    unit: 'ms',
    description: 'The migration thread wakes this often (PEBS_KSWAPD_INTERVAL).',
  }),
  // PEBS_KSWAPD_MIGRATE_RATE 10 GB
  passBudgetMB: knob(z.number().positive().max(1e9).default(10_240), {
    label: 'Migration budget per pass',
    unit: 'MB',
    description:
      'Bytes a pass promotes at most; the cold pages it demotes to make room do not count (PEBS_KSWAPD_MIGRATE_RATE).',
  }),
  // MIGRATION_STOP_THRESHOLD 3
  migrationStopThreshold: knob(z.int().min(1).max(255).default(3), {
    label: 'Migration stop threshold',
    unit: 'migrations',
    description:
      'A page moved up or down this many times stays where it is from then on (MIGRATION_STOP_THRESHOLD).',
  }),
  // pebs_kscand polls the PEBS buffers in a loop that never sleeps.
  scanThreadCores: knob(z.number().min(0).max(64).default(1), {
    label: 'Sampling thread CPU',
    unit: 'cores',
    description:
      "CPU of HeMem's sampling thread, which polls the PEBS buffers without sleeping on a core of its own; 0 charges nothing.",
  }),
})

export type HememKnobs = z.output<typeof hememKnobs>
