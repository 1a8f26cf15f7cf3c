import { z } from 'zod'
import { knob } from '../knob'

const ms = (label: string, def: number, description: string) =>
  knob(z.number().positive().max(3_600_000).default(def), { label, unit: 'ms', description })

const bp = (label: string, def: number, description: string) =>
  knob(
    z
      .number()
      .int({ error: 'must be a whole number of bp (1/10000 of the node)' })
      .min(0, { error: 'must be between 0 and 10000 bp (1/10000 of the node)' })
      .max(10000, { error: 'must be between 0 and 10000 bp (1/10000 of the node)' })
      .default(def),
    { label, unit: 'bp', description },
  )

const goalMetric = (label: string, def: string, description: string) =>
  knob(
    z
      .enum(['node_mem_used_bp', 'node_mem_free_bp', 'none'], {
        error: "must be 'node_mem_used_bp', 'node_mem_free_bp' or 'none'",
      })
      .default(def as 'none'),
    { label, unit: '', description },
  )

const regionCount = (label: string, def: number, description: string) =>
  knob(
    z
      .number()
      .int({ error: 'must be a whole number of regions' })
      // mm/damon/core.c refuses min_nr_regions < 3 [DAMON-C].
      .min(3, { error: 'must be at least 3 regions (DAMON refuses fewer)' })
      .max(100_000)
      .default(def),
    { label, unit: 'regions', description },
  )

/**
 * The knobs at upstream defaults: monitoring attributes from mm/damon/core.c [DAMON-C], the
 * schemes, quotas, goals and filters of samples/damon/mtier [MTIER], the tuner from the 2026
 * goal_tuner series [DAMON-TUNER].
 */
export const damonKnobs = z
  .strictObject({
    sampleMs: ms(
      'Sampling interval',
      5,
      'One random page per region is checked for access every sampling interval (sample_us). Rounded up to the run epoch.',
    ),
    aggregationMs: ms(
      'Aggregation interval',
      100,
      'Access counts are aggregated, regions merged and split, and schemes applied every aggregation interval (aggr_us).',
    ),
    minRegions: regionCount(
      'Minimum regions',
      10,
      'Monitoring regions at least (min_nr_regions); merging stops at total size ÷ this.',
    ),
    maxRegions: regionCount(
      'Maximum regions',
      1000,
      'Monitoring regions at most (max_nr_regions); splitting stops above half of it.',
    ),
    applyIntervalMs: ms(
      'Scheme apply interval',
      1000,
      'How often the migrate_hot / migrate_cold schemes act (apply_interval_us; mtier: 1 s).',
    ),
    // 200 MiB/s in mtier = 209.7152 MB/s.
    quotaMBps: knob(z.number().positive().max(1e7).default(209.7152), {
      label: 'Size quota per scheme',
      unit: 'MB/s',
      description:
        'Bytes each scheme may act on per second at most (quotas/bytes over reset_interval_ms; mtier: 200 MiB/s).',
    }),
    quotaResetIntervalMs: ms(
      'Quota reset interval',
      1000,
      'Quota charge window; the goal tuner updates the effective quota once per window (reset_interval_ms).',
    ),
    goalTuner: knob(
      z
        .enum(['consist', 'temporal'], { error: "must be 'consist' or 'temporal'" })
        .default('consist'),
      {
        label: 'Goal tuner',
        unit: '',
        description:
          "'consist': feedback loop scaling the quota by the goal's shortfall; 'temporal': full quota until the goal is met, then none (quotas/goal_tuner).",
      },
    ),
    promoteGoalMetric: goalMetric(
      'Promotion goal metric',
      'node_mem_used_bp',
      "Quota goal of migrate_hot, on the fast node: 'node_mem_used_bp', 'node_mem_free_bp' or 'none' (no goal: full quota).",
    ),
    promoteGoalBp: bp(
      'Promotion goal',
      9970,
      'Target of the promotion goal on the fast node, 1/10000 of the node (mtier: used 9970 bp).',
    ),
    demoteGoalMetric: goalMetric(
      'Demotion goal metric',
      'node_mem_free_bp',
      "Quota goal of migrate_cold, on the fast node: 'node_mem_used_bp', 'node_mem_free_bp' or 'none'.",
    ),
    demoteGoalBp: bp(
      'Demotion goal',
      50,
      'Target of the demotion goal on the fast node, 1/10000 of the node (mtier: free 50 bp).',
    ),
    hotMinNrAccesses: knob(z.number().int().min(0).max(1_000_000).default(1), {
      label: 'Hot: minimum accesses',
      unit: 'samples',
      description:
        'migrate_hot acts on regions seen accessed at least this often per aggregation (mtier: 1).',
    }),
    coldMaxNrAccesses: knob(z.number().int().min(0).max(1_000_000).default(0), {
      label: 'Cold: maximum accesses',
      unit: 'samples',
      description:
        'migrate_cold acts on regions seen accessed at most this often per aggregation (mtier: 0).',
    }),
    coldMinAgeMs: knob(z.number().min(0).max(3_600_000_000).default(0), {
      label: 'Cold: minimum age',
      unit: 'ms',
      description:
        'migrate_cold acts on regions whose access count stayed the same this long (mtier: 0).',
    }),
    youngFilter: knob(z.boolean().default(true), {
      label: 'Young-page filter',
      unit: '',
      description:
        "Check each page's accessed bit before acting: migrate_hot moves only young pages, migrate_cold only old ones (mtier).",
    }),
    // /sys/kernel/mm/numa/demotion_enabled defaults to false [ABI-NUMA]; DAMON demotes itself.
    demotionEnabled: knob(z.boolean().default(false), {
      label: 'kswapd demotion',
      unit: '',
      description: 'Also let kswapd demote cold pages under memory pressure (demotion_enabled).',
    }),
  })
  .refine((k) => k.minRegions <= k.maxRegions, {
    path: ['minRegions'],
    error: 'must be at most maxRegions; lower minRegions or raise maxRegions',
  })
  .refine((k) => k.sampleMs <= k.aggregationMs, {
    path: ['sampleMs'],
    error: 'must be at most aggregationMs; lower sampleMs or raise aggregationMs',
  })

export type DamonKnobs = z.output<typeof damonKnobs>
