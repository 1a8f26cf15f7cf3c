import { z } from 'zod'
import { policyRefSchema } from './experiment'

/**
 * `tierlab.study/v1`: one question of the LSF/MM/BPF 2024 tiering discussion as a small set of
 * experiments and the claims its conclusion rests on (issue 9 item 5). A study names policies by
 * id only, so a policy added to the registry later is usable without a change here; the services
 * check the ids, knobs and metrics against this build before anything runs.
 */

/** A variant id: what claims and the report name a run by (`nbt-async`, `rate@256`). */
const variantId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, {
    error: 'must be lowercase letters, digits and dashes (e.g. "nbt-async")',
  })
  .max(40)

const sweepValue = z.union([z.number(), z.string().max(200), z.boolean()])

/**
 * One arm of the study: a policy (by id or as a user script, path relative to the study file) and
 * field overrides of the base experiment. With `sweep`, one run per value, named `ID@VALUE`.
 */
export const studyVariantSchema = z.strictObject({
  id: variantId,
  /** How tables and charts name it; a sweep's `{value}` is replaced by each value (else appended). */
  label: z.string().min(1).max(80),
  /** Replaces the base experiment's policy; omitted, the base's policy is kept. */
  policy: policyRefSchema.optional(),
  /** Field path → value, as `tierlab sweep --knob` writes paths: `policy.params.rateLimitMBps`. */
  overrides: z.record(z.string().min(1).max(300), z.unknown()).default({}),
  sweep: z
    .strictObject({
      knob: z.string().min(1).max(300),
      values: z.array(sweepValue).min(1).max(20),
    })
    .optional(),
})
export type StudyVariant = z.infer<typeof studyVariantSchema>

export const CLAIM_OPS = ['>', '>=', '<', '<=', 'within'] as const
export type ClaimOp = (typeof CLAIM_OPS)[number]

/**
 * A checkable sentence of the conclusion: `a op b` on one metric, where `b` is another variant or
 * a number. `>` with `marginPct: 5` means a is at least 5 % above b; `<` at least 5 % below;
 * `within` means |a − b| ≤ marginPct % of the larger magnitude (a tie).
 */
export const studyClaimSchema = z
  .strictObject({
    /** A summary metric key (shared/metrics/catalogue.ts), or `process.<id>.throughputOpsPerS`. */
    metric: z.string().min(1).max(120),
    a: z.string().min(1).max(80),
    op: z.enum(CLAIM_OPS),
    b: z.union([z.string().min(1).max(80), z.number()]),
    marginPct: z.number().min(0).max(1000).default(0),
    /** The sentence of the conclusion this claim checks, for the report. */
    says: z.string().max(500).optional(),
  })
  .refine((c) => c.op !== 'within' || c.marginPct > 0, {
    error: '"within" needs a marginPct above 0 (the tie tolerance in %)',
    path: ['marginPct'],
  })
export type StudyClaim = z.infer<typeof studyClaimSchema>

export const studySchema = z
  .strictObject({
    format: z.string(),
    title: z.string().min(1).max(200),
    /** The question, as the tiering discussion asked it. */
    question: z.string().min(1).max(4000),
    /** What the study shows; every claim below checks a part of it. */
    conclusion: z.string().min(1).max(4000),
    /** Where the question and the expectation come from (talks, patches, papers). */
    sources: z.array(z.string().min(1).max(500)).max(20).default([]),
    /** A tierlab.experiment/v1 file next to study.json (relative path), or the experiment inline. */
    experiment: z.union([z.string().min(1).max(500), z.record(z.string(), z.unknown())], {
      error:
        'must be a file name (e.g. "experiment.json") or an inline tierlab.experiment/v1 object',
    }),
    variants: z.array(studyVariantSchema).min(1).max(40),
    /** The variant Compare pins as its baseline; the first variant when omitted. */
    baseline: variantId.optional(),
    /** Summary metrics the report tables and charts, in order. */
    metrics: z.array(z.string().min(1).max(120)).min(1).max(12),
    claims: z.array(studyClaimSchema).max(50).default([]),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>()
    s.variants.forEach((v, i) => {
      if (seen.has(v.id))
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'id'],
          message: `"${v.id}" is used by an earlier variant; give each variant its own id`,
        })
      seen.add(v.id)
    })
    const runIds = new Set(studyRunIds(s.variants))
    const known = () => [...runIds].join(', ')
    if (s.baseline !== undefined && !runIds.has(s.baseline))
      ctx.addIssue({
        code: 'custom',
        path: ['baseline'],
        message: `names "${s.baseline}", which is not a variant; use one of ${known()}`,
      })
    s.claims.forEach((c, i) => {
      for (const side of ['a', 'b'] as const) {
        const v = c[side]
        if (typeof v === 'string' && !runIds.has(v))
          ctx.addIssue({
            code: 'custom',
            path: ['claims', i, side],
            message: `names "${v}", which is not a variant; use one of ${known()}`,
          })
      }
    })
  })
export type Study = z.infer<typeof studySchema>

/** A sweep value as it appears in a run id: `rate@256`, `mode@async`. */
export function sweepRunId(variant: string, value: z.infer<typeof sweepValue>): string {
  return `${variant}@${String(value)}`
}

/** The ids of the study's runs, in order: a variant's own, or one per sweep value. */
export function studyRunIds(variants: readonly Pick<StudyVariant, 'id' | 'sweep'>[]): string[] {
  return variants.flatMap((v) =>
    v.sweep ? v.sweep.values.map((value) => sweepRunId(v.id, value)) : [v.id],
  )
}

/** The tag every run of a study carries, so the archive and the app find them. */
export function studyTag(name: string): string {
  return `study:${name}`
}

/** A study's name: its folder under resources/studies. */
export const STUDY_NAME = /^[a-z0-9][a-z0-9-]{0,49}$/
