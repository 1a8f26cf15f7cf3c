import { z } from 'zod'
import { scriptLimitsSchema } from './script-limits'
import { topologySchema } from './topology'
import { workloadSchema } from './workload'

/** `tierlab.experiment/v1`: topology + workload + policy + seed + duration (DESIGN.md §8). */

const presetRef = z.strictObject({ preset: z.string().min(1) })

export const PAGE_BYTES = [4096, 2097152] as const

/** Largest policy script an experiment may carry, characters. */
export const MAX_SCRIPT_CHARS = 500_000

/**
 * A built-in policy (`id`) or a user script (`script`, a path relative to the experiment file, or
 * `library:NAME` for a policy saved in the app). When an experiment is read, the script's `source`
 * and its `sourceSha256` are filled in, and the run archives both, so an archived run reruns and
 * diffs with exactly the code it ran.
 */
export const policyRefSchema = z
  .strictObject({
    /** A policy id from `tierlab policies`. */
    id: z.string().min(1).optional(),
    /** A user policy script (ES module, .js or .ts). */
    script: z.string().min(1).max(1000).optional(),
    /** The script's text (filled in from `script` when the experiment is read). */
    source: z.string().max(MAX_SCRIPT_CHARS).optional(),
    /** sha256 of `source`, hex; a rerun refuses a source that does not match it. */
    sourceSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits (a sha256)' })
      .optional(),
    /** Knob values; missing knobs take the policy's defaults. */
    params: z.record(z.string(), z.unknown()).default({}),
    /** A script's sandbox limits (memory, CPU ticks, stack); missing ones take the defaults. */
    limits: scriptLimitsSchema.partial().optional(),
  })
  .refine((p) => (p.id === undefined) !== (p.script === undefined), {
    error:
      'give either "id" (a built-in policy) or "script" (a user policy file), not both or neither',
  })
  .refine((p) => p.limits === undefined || p.script !== undefined, {
    path: ['limits'],
    error: 'applies to a policy script only; remove it, built-in policies have no sandbox',
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

/** How runs and tables name the policy: its id, or `script:<file name>` for a user script. */
export function policyLabel(ref: Pick<PolicyRef, 'id' | 'script'>): string {
  if (ref.id !== undefined) return ref.id
  const script = ref.script ?? ''
  return `script:${script
    .replace(/^library:/, '')
    .split(/[\\/]/)
    .pop()}`
}
