import { z } from 'zod'
import { topologySchema } from './topology'
import { workloadSchema } from './workload'

/** `tierlab.experiment/v1`: topology + workload + policy + seed + duration (DESIGN.md §8). */

const presetRef = z.strictObject({ preset: z.string().min(1) })

export const PAGE_BYTES = [4096, 2097152] as const

export const policyRefSchema = z.strictObject({
  /** A policy id from `tierlab policies`. */
  id: z.string().min(1),
  /** Knob values; missing knobs take the policy's defaults. */
  params: z.record(z.string(), z.unknown()).default({}),
})
export type PolicyRef = z.infer<typeof policyRefSchema>

export const experimentSchema = z.strictObject({
  format: z.string(),
  name: z.string().min(1).max(200),
  topology: z.union([presetRef, topologySchema], {
    error: 'must be a topology object or { "preset": id }',
  }),
  workload: z.union([presetRef, workloadSchema], {
    error: 'must be a workload object or { "preset": id }',
  }),
  policy: policyRefSchema,
  /** Placement unit: 4 KiB base pages or 2 MiB huge pages. */
  pageBytes: z
    .union([z.literal(4096), z.literal(2097152)], { error: 'must be 4096 or 2097152 bytes' })
    .default(4096),
  /** Simulated time, s. */
  durationS: z
    .number()
    .positive({ error: 'must be greater than 0 s' })
    .max(86_400, { error: 'must be at most 86400 s (one simulated day)' }),
  /** Epoch length of simulated time, ms. */
  epochMs: z.number().min(0.1).max(1000).default(10),
  seed: z
    .number()
    .int({ error: 'must be a whole number' })
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
  /** `fast` works on rates; `exact` draws every access (small experiments only). */
  mode: z.enum(['fast', 'exact']).default('fast'),
  tags: z.array(z.string().min(1).max(60)).max(32).default([]),
  notes: z.string().max(20_000).optional(),
})
export type Experiment = z.infer<typeof experimentSchema>
export type ExperimentInput = z.input<typeof experimentSchema>
