import { z } from 'zod'
import {
  checkFormatTag,
  describeIssues,
  formatTag,
  parseDocument,
  type FieldIssue,
} from '../../../shared/formats'
import {
  RUN_STATUSES,
  type RunDetail,
  type HeatmapData,
  type SeriesData,
} from '../../../shared/runs'
import type { ImportedRun } from '../../store'

/**
 * `tierlab.bundle/v1`: runs exported with everything needed to archive them elsewhere — the
 * resolved experiment, summary, per-process results, series, heatmap and timings. Series values
 * are written as JSON numbers, which round-trip doubles exactly.
 */

const numbers = z.array(z.number())
const isoTime = z.string().min(1).max(40)

const seriesSchema = z.strictObject({
  key: z.string().min(1).max(200),
  label: z.string().max(200),
  unit: z.string().max(40),
  t: numbers,
  values: numbers,
})

const heatmapSchema = z.strictObject({
  t: numbers,
  rankBins: z.number().int().nonnegative(),
  tiers: numbers,
  values: numbers,
})

const bundledRunSchema = z
  .strictObject({
    /** The run's id in the database it was exported from (informative). */
    id: z.number().int().positive(),
    name: z.string().min(1).max(400),
    status: z.enum(RUN_STATUSES),
    policyId: z.string().min(1),
    topologyName: z.string(),
    workloadName: z.string(),
    seed: z.number().int().nonnegative(),
    engineVersion: z.string().min(1).max(40),
    timings: z.strictObject({
      createdAt: isoTime,
      startedAt: isoTime.nullable(),
      finishedAt: isoTime.nullable(),
      /** Wall-clock run time, ms. */
      wallMs: z.number().nonnegative().nullable(),
    }),
    tags: z.array(z.string().min(1).max(60)).max(64),
    notes: z.string().max(20_000),
    batch: z.string().max(200).nullable(),
    /** Since v3 archives: the run's replicate index, grid point and queue job id (optional). */
    replicate: z.number().int().nonnegative().nullable().optional(),
    sweepPoint: z
      .record(z.string().max(300), z.union([z.number(), z.string().max(200), z.boolean()]))
      .nullable()
      .optional(),
    jobId: z.string().max(100).nullable().optional(),
    error: z.string().nullable(),
    experiment: z.unknown(),
    summary: z.record(z.string(), z.number()).nullable(),
    processes: z.array(
      z.strictObject({ id: z.string(), throughputOpsPerS: z.number(), meanLatencyNs: z.number() }),
    ),
    series: z.array(seriesSchema),
    heatmap: heatmapSchema.nullable(),
  })
  .superRefine((run, ctx) => {
    const keys = new Set<string>()
    run.series.forEach((s, i) => {
      if (s.t.length !== s.values.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['series', i, 'values'],
          message: `has ${s.values.length} values for ${s.t.length} times; each time needs one value`,
        })
      }
      if (keys.has(s.key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['series', i, 'key'],
          message: `"${s.key}" appears twice; each series key once`,
        })
      }
      keys.add(s.key)
    })
  })
export type BundledRun = z.infer<typeof bundledRunSchema>

export const bundleSchema = z.strictObject({
  format: z.string(),
  exportedAt: isoTime,
  /** The Tierlab version that wrote the bundle. */
  appVersion: z.string().max(40).optional(),
  runs: z.array(bundledRunSchema).min(1, { error: 'holds no runs; export at least one run' }),
})
export type RunBundle = z.infer<typeof bundleSchema>

export interface ExportableRun {
  run: RunDetail
  series: SeriesData[]
  heatmap: HeatmapData | null
}

export function toBundle(runs: ExportableRun[], exportedAt: string, appVersion: string): RunBundle {
  return {
    format: formatTag('bundle'),
    exportedAt,
    appVersion,
    runs: runs.map(({ run, series, heatmap }) => ({
      id: run.id,
      name: run.name,
      status: run.status,
      policyId: run.policyId,
      topologyName: run.topologyName,
      workloadName: run.workloadName,
      seed: run.seed,
      engineVersion: run.engineVersion,
      timings: {
        createdAt: run.createdAt,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        wallMs: run.wallMs,
      },
      tags: run.tags,
      notes: run.notes,
      batch: run.batch,
      replicate: run.replicate ?? null,
      sweepPoint: run.sweepPoint ?? null,
      jobId: run.jobId ?? null,
      error: run.error,
      experiment: run.experiment,
      summary: run.summary,
      processes: run.processes,
      series,
      heatmap,
    })),
  }
}

/** The export's file name: `tierlab-run-7.json`, `tierlab-runs-7-and-2-more.json`. */
export function bundleFileName(ids: number[]): string {
  return ids.length === 1
    ? `tierlab-run-${ids[0]}.json`
    : `tierlab-runs-${ids[0]}-and-${ids.length - 1}-more.json`
}

/** Parses bundle text into runs ready for the store, or the issues naming each bad field. */
export function parseBundleText(
  text: string,
): { ok: true; runs: ImportedRun[] } | { ok: false; issues: FieldIssue[] } {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    return {
      ok: false,
      issues: [
        { path: '(file)', message: `is not valid JSON (${(e as Error).message}); fix the syntax` },
      ],
    }
  }
  const tagError = checkFormatTag(doc, 'bundle')
  if (tagError) {
    return { ok: false, issues: [{ path: 'format', message: tagError.replace(/^format: /, '') }] }
  }
  const parsed = bundleSchema.safeParse(doc)
  if (!parsed.success) return { ok: false, issues: describeIssues(parsed.error.issues, doc) }
  const issues: FieldIssue[] = []
  const runs: ImportedRun[] = []
  parsed.data.runs.forEach((r, i) => {
    const experiment = parseDocument('experiment', r.experiment)
    if (!experiment.ok) {
      for (const issue of experiment.issues) {
        const inner = issue.path === '(file)' ? '' : `.${issue.path}`
        issues.push({ path: `runs[${i}].experiment${inner}`, message: issue.message })
      }
      return
    }
    runs.push({
      name: r.name,
      status: r.status,
      policyId: r.policyId,
      topologyName: r.topologyName,
      workloadName: r.workloadName,
      seed: r.seed,
      engineVersion: r.engineVersion,
      createdAt: r.timings.createdAt,
      startedAt: r.timings.startedAt,
      finishedAt: r.timings.finishedAt,
      wallMs: r.timings.wallMs,
      tags: r.tags,
      notes: r.notes,
      batch: r.batch,
      replicate: r.replicate ?? null,
      sweepPoint: r.sweepPoint ?? null,
      jobId: r.jobId ?? null,
      summary: r.summary,
      error: r.error,
      experiment: experiment.value,
      processes: r.processes,
      series: r.series,
      heatmap: r.heatmap,
    })
  })
  return issues.length > 0 ? { ok: false, issues } : { ok: true, runs }
}
