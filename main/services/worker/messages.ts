import { z } from 'zod'

/**
 * What crosses the thread boundary between the run pool and a simulation worker. Replies from the
 * worker are parsed with these schemas, as anything from another thread is (DESIGN.md §1).
 */

/** main → worker: run one experiment. `cancel` is an Int32Array(1) flag the worker polls. */
export interface RunJobMessage {
  type: 'run'
  runId: number
  experiment: unknown
  cancel: SharedArrayBuffer
  /** Least wall-clock time between two progress messages, ms. */
  progressIntervalMs: number
}

const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' })
const numbers = z.array(z.number())

export const progressMessageSchema = z.object({
  type: z.literal('progress'),
  runId: z.number().int(),
  epoch: z.number().int().nonnegative(),
  epochs: z.number().int().nonnegative(),
  simulatedS: finite,
  durationS: finite,
  live: z.record(z.string(), z.number()),
})
export type ProgressMessage = z.infer<typeof progressMessageSchema>

export const simulationResultSchema = z.object({
  summary: z.record(z.string(), z.number()),
  processes: z.array(
    z.object({ id: z.string(), throughputOpsPerS: z.number(), meanLatencyNs: z.number() }),
  ),
  nodes: z.array(
    z.object({
      node: z.number().int(),
      component: z.string(),
      usedBytes: z.number(),
      accessShare: z.number(),
    }),
  ),
  series: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      unit: z.string(),
      better: z.enum(['higher', 'lower', 'neutral']).optional(),
      t: numbers,
      values: numbers,
    }),
  ),
  heatmap: z
    .object({
      t: numbers,
      rankBins: z.number().int().nonnegative(),
      tiers: numbers,
      values: numbers,
    })
    .nullable(),
  cancelled: z.boolean(),
  /** The engine's warnings about the result (e.g. unconverged closed-loop epochs). */
  warnings: z.array(z.string()).optional(),
})
export type WorkerSimulationResult = z.infer<typeof simulationResultSchema>

export const workerMessageSchema = z.discriminatedUnion('type', [
  progressMessageSchema,
  z.object({ type: z.literal('result'), runId: z.number().int(), result: simulationResultSchema }),
  z.object({
    type: z.literal('error'),
    runId: z.number().int(),
    message: z.string(),
    /** True for SimulationInputError: the experiment cannot run, the worker is fine. */
    inputError: z.boolean(),
  }),
])
export type WorkerMessage = z.infer<typeof workerMessageSchema>
