import { policyLabel } from '../../../shared/formats/experiment'
import { z } from 'zod'
import { runTags } from '../../../shared/api/contract'
import {
  checkFormatTag,
  describeIssues,
  formatPath,
  formatTag,
  jsonText,
  parseDocument,
  type FieldIssue,
} from '../../../shared/formats'
import {
  RUN_STATUSES,
  type RunDetail,
  type HeatmapData,
  type SeriesData,
} from '../../../shared/runs'
import type { ResolvedExperiment } from '../../engine'
import type { ImportedRun } from '../../store'
import { crossDocumentIssues } from '../experiments/cross-checks'

/**
 * `tierlab.bundle/v1`: runs exported with everything needed to archive them elsewhere — the
 * resolved experiment, summary, per-process results, series, heatmap and timings. Series values
 * are written as JSON numbers, which round-trip doubles exactly.
 */

const numbers = z.array(z.number())
/** Instants as the store writes them (toISOString), or any ISO 8601 date-time with an offset. */
const isoTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time such as 2026-11-25T12:00:00.000Z',
})
/**
 * Deeper JSON than any Tierlab document has (policy params are at most a record of numbers);
 * recursive code downstream (fingerprints, issue paths) must never meet 5,000-deep input.
 */
export const MAX_BUNDLE_DEPTH = 64

const seriesSchema = z.strictObject({
  key: z.string().min(1).max(200),
  label: z.string().max(200),
  unit: z.string().max(40),
  /** A policy's own series may say which way is better (shared/metrics/catalogue.ts). */
  better: z.enum(['higher', 'lower', 'neutral']).optional(),
  t: numbers,
  values: numbers,
})

/** The placement at the end of the run; bundles written before engine 0.3 have none. */
const nodeResultSchema = z.strictObject({
  node: z.number().int().nonnegative(),
  component: z.string(),
  usedBytes: z.number().nonnegative(),
  accessShare: z.number(),
})

const heatmapSchema = z
  .strictObject({
    t: numbers,
    rankBins: z.number().int().nonnegative().max(100_000),
    tiers: numbers,
    values: numbers,
  })
  .superRefine((h, ctx) => {
    // The store keeps one cell per time × hotness bin (series-store.ts).
    const cells = h.t.length * h.rankBins
    if (h.values.length !== cells) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: `has ${h.values.length} values for ${h.t.length} times × ${h.rankBins} bins = ${cells} cells; export the run again`,
      })
    }
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
    tags: runTags,
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
    nodes: z.array(nodeResultSchema).default([]),
    /** Since engine 0.4 archives: the engine's warnings about the run. */
    warnings: z.array(z.string().max(2000)).max(1000).default([]),
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
      nodes: run.nodes,
      warnings: run.warnings ?? [],
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
  raw: string,
): { ok: true; runs: ImportedRun[] } | { ok: false; issues: FieldIssue[] } {
  const decoded = jsonText(raw)
  if (!decoded.ok) return { ok: false, issues: [{ path: '(file)', message: decoded.message }] }
  let doc: unknown
  try {
    doc = JSON.parse(decoded.text)
  } catch (e) {
    return {
      ok: false,
      issues: [
        { path: '(file)', message: `is not valid JSON (${(e as Error).message}); fix the syntax` },
      ],
    }
  }
  const deep = pathDeeperThan(doc, MAX_BUNDLE_DEPTH)
  if (deep) {
    return {
      ok: false,
      issues: [
        {
          path: formatPath(deep),
          message: `is nested more than ${MAX_BUNDLE_DEPTH} levels deep; no Tierlab document is, so this is not an export of one`,
        },
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
    const own = crossDocumentIssues(experiment.value as ResolvedExperiment).map((issue) => ({
      path: `runs[${i}].experiment.${issue.path}`,
      message: issue.message,
    }))
    own.push(...forgedNames(r, experiment.value as ResolvedExperiment, i))
    if (own.length > 0) {
      issues.push(...own)
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
      nodes: r.nodes,
      warnings: r.warnings,
      series: r.series,
      heatmap: r.heatmap,
    })
  })
  return issues.length > 0 ? { ok: false, issues } : { ok: true, runs }
}

/**
 * The archive lists runs by these names; they must be the experiment's own, as runs.start derives
 * them, or a bundle could show one policy's results under another's name.
 */
function forgedNames(r: BundledRun, exp: ResolvedExperiment, i: number): FieldIssue[] {
  const issues: FieldIssue[] = []
  const check = (field: string, given: string, actual: string, what: string) => {
    if (given !== actual)
      issues.push({
        path: `runs[${i}].${field}`,
        message: `is ${JSON.stringify(given)} but ${what} ${JSON.stringify(actual)}; export the run again`,
      })
  }
  check('policyId', r.policyId, policyLabel(exp.policy), 'the experiment runs')
  check('topologyName', r.topologyName, exp.topology.name, "the experiment's topology is")
  check('workloadName', r.workloadName, exp.workload.name, "the experiment's workload is")
  return issues
}

/** The path to the first value nested deeper than `max` levels, or null; iterative (no stack). */
function pathDeeperThan(doc: unknown, max: number): PropertyKey[] | null {
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value: doc, path: [] }]
  while (stack.length > 0) {
    const { value, path } = stack.pop()!
    if (typeof value !== 'object' || value === null) continue
    if (path.length >= max) return path
    if (Array.isArray(value)) value.forEach((v, k) => stack.push({ value: v, path: [...path, k] }))
    else for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] })
  }
  return null
}
