import { z } from 'zod'
import { knob } from '../knob'
import { demotionEnabledKnob, numabScannerKnobs, tieringGateKnobs } from '../numa-balancing-knobs'

/** kernel.numa_balancing's bits [KRST]: NUMA_BALANCING_NORMAL = 1, NUMA_BALANCING_MEMORY_TIERING = 2. */
export const NUMA_BALANCING_MODES = { normal: 1, tiering: 2, 'normal+tiering': 3 } as const
export type NumaBalancingMode = keyof typeof NUMA_BALANCING_MODES

export const hasNormal = (mode: NumaBalancingMode): boolean =>
  (NUMA_BALANCING_MODES[mode] & 1) !== 0
export const hasTiering = (mode: NumaBalancingMode): boolean =>
  (NUMA_BALANCING_MODES[mode] & 2) !== 0

const MODE_NAMES = Object.keys(NUMA_BALANCING_MODES) as [NumaBalancingMode, ...NumaBalancingMode[]]

export const numaBalancingKnobs = z
  .strictObject({
    mode: knob(
      z
        .enum(MODE_NAMES, {
          error:
            'must be "normal" (numa_balancing=1), "tiering" (2) or "normal+tiering" (3); pick one of these names',
        })
        .default('normal'),
      {
        label: 'Mode',
        unit: '',
        description:
          'kernel.numa_balancing: normal = 1 (place tasks and memory by NUMA faults), tiering = 2 (promote hot slow-tier pages), normal+tiering = 3 (both).',
      },
    ),
    taskPlacement: knob(z.boolean().default(true), {
      label: 'Task placement',
      unit: '',
      description:
        "Move threads to the node their faults point at (task_numa_placement's preferred node, task_numa_migrate's moves and swaps); in modes normal and normal+tiering (tiering alone keeps no task statistics).",
    }),
    memoryMigration: knob(z.boolean().default(true), {
      label: 'Memory migration',
      unit: '',
      description:
        "Move faulting pages to the faulting thread's node (should_numa_migrate_memory: the two-stage cpupid filter; the hot threshold and rate limit in tiering mode).",
    }),
    legacyCrossTierPromotion: knob(z.boolean().default(false), {
      label: 'Mode 1 promotes across tiers',
      unit: '',
      description:
        'Mainline before the March 2026 fix: in mode 1 a slow-tier page with a valid last_cpupid passes the two-stage filter and is promoted.',
    }),
    ...tieringGateKnobs('Tiering: '),
    ...numabScannerKnobs({ periodMaxAdjustsThreshold: true }),
    demotionEnabled: demotionEnabledKnob(),
  })
  // Checked when the knobs are parsed, so a run that would do nothing is refused before it starts.
  .superRefine((k, ctx) => {
    if (!k.taskPlacement && !k.memoryMigration)
      ctx.addIssue({
        code: 'custom',
        path: ['memoryMigration'],
        message:
          'and taskPlacement are both false, so NUMA balancing would do nothing; set taskPlacement or memoryMigration to true (or run first-touch)',
      })
    else if (!hasNormal(k.mode) && !k.memoryMigration)
      ctx.addIssue({
        code: 'custom',
        path: ['memoryMigration'],
        message:
          'is false in mode "tiering", which only promotes pages (the kernel keeps no task fault statistics there), so nothing would happen; set memoryMigration to true or mode to "normal" or "normal+tiering"',
      })
  })

export type NumaBalancingKnobs = z.output<typeof numaBalancingKnobs>
