import { z } from 'zod'

/**
 * `tierlab.workload/v1`: memory regions and the processes that touch them, in phases
 * (DESIGN.md §3, §8). Field names carry their unit.
 */

const id = z
  .string()
  .min(1, { error: 'must be a non-empty id' })
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, { error: 'may use only letters, digits and _ . : -' })

/**
 * Which address holds which hotness rank: `shuffled` (default) is a seeded permutation, as heap
 * allocators scatter hot objects; `sequential` puts rank 0 at the region's first page.
 */
const layout = z.enum(['shuffled', 'sequential']).default('shuffled')

/**
 * How hot data clusters in the address space: a shuffled layout keeps runs of this many
 * consecutive hotness ranks (4 KiB base pages) together. 512 packs each 2 MiB huge page with
 * pages of neighbouring hotness; 1 scatters every base page, so each huge page mixes hot and cold.
 * Absent: 64 (256 KiB runs; the engine's DEFAULT_CLUSTER_PAGES). All zipf/hotset accesses of a
 * region must agree.
 */
const clusterPages = z
  .number()
  .int({ error: 'must be a whole number of 4 KiB pages' })
  .refine((n) => n >= 1 && n <= 512 && (n & (n - 1)) === 0, {
    error: 'must be a power of two from 1 to 512 (4 KiB pages per hot run)',
  })
  .optional()

export const patternSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('uniform') }),
    z.strictObject({
      kind: z.literal('zipf'),
      /** Zipf exponent; 0.99 is YCSB's default skew. */
      s: z.number().min(0, { error: 'must be 0 or more' }).max(5, { error: 'must be at most 5' }),
      layout,
      clusterPages,
    }),
    z.strictObject({
      kind: z.literal('hotset'),
      /** Fraction of the region that is hot, 0..1. */
      hotFraction: z
        .number()
        .gt(0, { error: 'must be greater than 0' })
        .max(1, { error: 'must be at most 1' }),
      /** Probability that an access goes to the hot part, 0..1. */
      hotProbability: z.number().min(0).max(1, { error: 'must be at most 1' }),
      layout,
      clusterPages,
    }),
    z.strictObject({
      kind: z.literal('moving-window'),
      /** Width of the hot window as a fraction of the region, 0..1. */
      widthFraction: z.number().gt(0, { error: 'must be greater than 0' }).max(1),
      /** The window sweeps the region once per period, s. */
      periodS: z.number().positive({ error: 'must be greater than 0 s' }),
      /** Share of accesses inside the window; the rest are uniform over the region. */
      windowProbability: z.number().min(0).max(1).default(1),
    }),
    z.strictObject({ kind: z.literal('scan') }),
    z.strictObject({ kind: z.literal('trace'), trace: id }),
  ],
  { error: 'must be one of uniform, zipf, hotset, moving-window, scan, trace' },
)
export type Pattern = z.infer<typeof patternSchema>
export type PatternKind = Pattern['kind']

/** A base page of hotness: traces and the engine count accesses per 4 KiB (DESIGN.md §3). */
export const TRACE_PAGE_BYTES = 4096

/**
 * A replayed trace's hotness (`tierlab import-trace`): how many accesses each 4 KiB page of one
 * region received, in address order from the region's first byte, run-length encoded as
 * [pages, accesses per page] pairs so untouched gaps and uniform stretches stay small. The pairs
 * must cover the region exactly: ceil(sizeGiB × 2^30 / 4096) pages.
 */
export const traceSchema = z.strictObject({
  id,
  name: z.string().max(200).optional(),
  pages: z
    .array(
      z.tuple([
        z.number().int({ error: 'must be a whole number of pages' }).positive(),
        z.number().nonnegative({ error: 'must be 0 or more accesses' }),
      ]),
    )
    .min(1, { error: 'needs at least one [pages, accesses] pair' }),
})
export type Trace = z.infer<typeof traceSchema>

/** 4 KiB pages of a region of sizeGiB. */
export function regionBasePages(sizeGiB: number): number {
  return Math.max(1, Math.ceil((sizeGiB * 2 ** 30) / TRACE_PAGE_BYTES))
}

export const regionSchema = z.strictObject({
  id,
  name: z.string().max(120).optional(),
  sizeGiB: z
    .number({ error: 'must be a number of GiB' })
    .positive({ error: 'must be greater than 0 GiB' }),
  /** The process whose initiator first touches the region; local-first placement follows it. */
  firstTouch: id,
  /** Allocated all at start, or grown at a rate (GB/s) until full. */
  allocation: z
    .union([
      z.literal('start'),
      z.strictObject({ rateGBps: z.number().positive({ error: 'must be greater than 0 GB/s' }) }),
    ])
    .default('start'),
  /**
   * Fraction of the region's accesses that are writes, 0..1; absent: each accessing process's
   * writeFraction. What dirties a page (NOMAD's shadow copies); the performance model keeps the
   * processes' read/write mix.
   */
  writeFraction: z
    .number({ error: 'must be a number from 0 to 1' })
    .min(0, { error: 'must be 0 or more' })
    .max(1, { error: 'must be at most 1' })
    .optional(),
})
export type Region = z.infer<typeof regionSchema>

export const accessSchema = z.strictObject({
  region: id,
  /** Share of this process's accesses that go to the region in this phase, 0..1. */
  share: z.number().min(0).max(1, { error: 'must be at most 1' }),
  pattern: patternSchema,
})

export const phaseSchema = z.strictObject({
  name: z.string().max(120).optional(),
  /** Length of the phase, s. The last phase lasts until the run ends. */
  durationS: z.number().positive({ error: 'must be greater than 0 s' }),
  accesses: z.array(accessSchema).min(1, { error: 'a phase needs at least one access entry' }),
})
export type Phase = z.infer<typeof phaseSchema>

export const processSchema = z.strictObject({
  id,
  name: z.string().max(120).optional(),
  /** A socket or GPU component id of the topology. */
  initiator: id,
  threads: z
    .number()
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'needs at least 1 thread' }),
  /** CPU (or GPU) time per operation outside memory stalls, ns. */
  computeNsPerOp: z.number().nonnegative({ error: 'must be 0 or more ns' }),
  /** Memory accesses (last-level-cache misses) per operation. */
  accessesPerOp: z.number().positive({ error: 'must be greater than 0' }),
  /** Memory-level parallelism: misses in flight per thread. */
  mlp: z.number().min(1, { error: 'must be at least 1' }),
  /** Fraction of accesses that are writes, 0..1. */
  writeFraction: z.number().min(0).max(1, { error: 'must be at most 1' }),
  phases: z.array(phaseSchema).min(1, { error: 'a process needs at least one phase' }),
})
export type Process = z.infer<typeof processSchema>

export const workloadSchema = z
  .strictObject({
    format: z.string(),
    name: z.string().min(1).max(200),
    description: z.string().max(4000).optional(),
    regions: z.array(regionSchema).min(1, { error: 'needs at least one region' }),
    processes: z.array(processSchema).min(1, { error: 'needs at least one process' }),
    /** Per-page hotness that `trace` patterns name (imported traces). */
    traces: z.array(traceSchema).optional(),
  })
  .superRefine((w, ctx) => {
    const regionIds = new Set<string>()
    w.regions.forEach((r, i) => {
      if (regionIds.has(r.id))
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i, 'id'],
          message: `region id "${r.id}" is used twice; give each region its own id`,
        })
      regionIds.add(r.id)
    })
    const processIds = new Set<string>()
    w.processes.forEach((p, i) => {
      if (processIds.has(p.id))
        ctx.addIssue({
          code: 'custom',
          path: ['processes', i, 'id'],
          message: `process id "${p.id}" is used twice; give each process its own id`,
        })
      processIds.add(p.id)
    })
    w.regions.forEach((r, i) => {
      if (!processIds.has(r.firstTouch))
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i, 'firstTouch'],
          message: `names process "${r.firstTouch}", which does not exist; use one of ${[...processIds].join(', ')}`,
        })
    })
    w.processes.forEach((p, pi) =>
      p.phases.forEach((ph, phi) => {
        let sum = 0
        ph.accesses.forEach((a, ai) => {
          sum += a.share
          if (!regionIds.has(a.region))
            ctx.addIssue({
              code: 'custom',
              path: ['processes', pi, 'phases', phi, 'accesses', ai, 'region'],
              message: `names region "${a.region}", which does not exist; use one of ${[...regionIds].join(', ')}`,
            })
        })
        ph.accesses.forEach((a, ai) => checkTraceAccess(w, a, ctx, [pi, phi, ai]))
        if (Math.abs(sum - 1) > 1e-6)
          ctx.addIssue({
            code: 'custom',
            path: ['processes', pi, 'phases', phi, 'accesses'],
            message: `shares add up to ${Number(sum.toFixed(6))}; make them add up to 1`,
          })
      }),
    )
  })
export type Workload = z.infer<typeof workloadSchema>
export type WorkloadInput = z.input<typeof workloadSchema>

type WorkloadShape = Pick<z.output<typeof workloadSchema>, 'regions' | 'traces'>

/** A trace pattern names a trace of the document whose pages cover its region exactly. */
function checkTraceAccess(
  w: WorkloadShape,
  a: z.output<typeof accessSchema>,
  ctx: z.RefinementCtx,
  [pi, phi, ai]: number[],
): void {
  if (a.pattern.kind !== 'trace') return
  const path = ['processes', pi, 'phases', phi, 'accesses', ai, 'pattern', 'trace']
  const traceId = a.pattern.trace
  const trace = w.traces?.find((t) => t.id === traceId)
  if (!trace) {
    const known = (w.traces ?? []).map((t) => t.id)
    ctx.addIssue({
      code: 'custom',
      path,
      message: known.length
        ? `names trace "${traceId}", which is not in "traces"; use one of ${known.join(', ')}`
        : `names trace "${traceId}" but the workload has no "traces"; import one with \`tierlab import-trace\``,
    })
    return
  }
  const region = w.regions.find((r) => r.id === a.region)
  if (!region) return
  let pages = 0
  let accesses = 0
  for (const [n, count] of trace.pages) {
    pages += n
    accesses += n * count
  }
  const want = regionBasePages(region.sizeGiB)
  if (pages !== want)
    ctx.addIssue({
      code: 'custom',
      path,
      message: `trace "${traceId}" covers ${pages} pages of 4 KiB but region "${region.id}" has ${want}; make the region's sizeGiB match the trace`,
    })
  else if (accesses <= 0)
    ctx.addIssue({
      code: 'custom',
      path,
      message: `trace "${traceId}" has no accesses on region "${region.id}"; give at least one page a count above 0`,
    })
}
