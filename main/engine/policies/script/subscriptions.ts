import { z } from 'zod'
import { NUMAB_SCANNER_DEFAULTS } from '../../kernel'
import type { ReclaimConfig, Subscriptions } from '../api'

/**
 * What a script's `subscriptions(knobs)` and `reclaim(knobs)` may return, checked on the host:
 * the engine never trusts a value that came out of the sandbox. Scanner fields default to the
 * kernel's [FAIR] so `{ hintFaults: { mode: 'tiering' } }` is enough.
 */
const ms = z.number().min(0).max(3_600_000)
export const subscriptionsSchema = z.strictObject({
  hintFaults: z
    .strictObject({
      mode: z.enum(['tiering', 'normal']).default('tiering'),
      scanDelayMs: ms.default(NUMAB_SCANNER_DEFAULTS.scanDelayMs),
      scanPeriodMinMs: ms.positive().default(NUMAB_SCANNER_DEFAULTS.scanPeriodMinMs),
      scanPeriodMaxMs: ms.positive().default(NUMAB_SCANNER_DEFAULTS.scanPeriodMaxMs),
      scanSizeMB: z.number().positive().max(1_048_576).default(NUMAB_SCANNER_DEFAULTS.scanSizeMB),
    })
    .optional(),
  samples: z.strictObject({ period: z.number().int().min(1).max(1e9) }).optional(),
  cxlMonitor: z
    .strictObject({
      threshold: z.number().positive(),
      maxRecords: z.number().int().min(1).max(1_000_000),
    })
    .optional(),
  gpuCounters: z
    .strictObject({
      threshold: z.number().positive(),
      granularityBytes: z.number().positive().optional(),
    })
    .optional(),
  accessedBits: z
    .strictObject({
      periodMs: ms.positive(),
      framesPerScan: z
        .number()
        .int()
        .min(1)
        .max(1 << 30),
      nodes: z.enum(['all', 'slow']).default('slow'),
    })
    .optional(),
}) satisfies z.ZodType<Subscriptions>

/** What a script may pass to `ctx.subscribe`: any source's settings, or null to stop it. */
export const subscriptionChangesSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(subscriptionsSchema.shape).map(([k, v]) => [
      k,
      v.unwrap().nullable().optional(),
    ]),
  ) as {
    [K in keyof typeof subscriptionsSchema.shape]: z.ZodOptional<
      z.ZodNullable<ReturnType<(typeof subscriptionsSchema.shape)[K]['unwrap']>>
    >
  },
)

export const reclaimSchema = z
  .strictObject({
    demotionEnabled: z.boolean().default(false),
    balanceTo: z.enum(['high', 'promo']).default('high'),
  })
  .nullable()
  .transform((r): ReclaimConfig => r ?? { demotionEnabled: false, balanceTo: 'high' })
