import { z } from 'zod'
import { simulationResultSchema } from '../worker/messages'

/** The BullMQ queue every Tierlab sweep and worker on one Redis shares. */
export const QUEUE_NAME = 'tierlab-runs'
/** A job that fails this many times is recorded as a failed run with its last error. */
export const JOB_ATTEMPTS = 3

/** What a job carries: the resolved experiment and the engine version it must run on. */
export const jobDataSchema = z.object({
  experiment: z.unknown().refine((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
    error: 'must be an experiment object',
  }),
  engineVersion: z.string().min(1),
  name: z.string(),
})
export type JobData = z.infer<typeof jobDataSchema>

/** What a worker returns: the simulation's result, its wall time and who computed it. */
export const jobResultSchema = simulationResultSchema.extend({
  /** Wall-clock run time on the worker, ms. */
  wallMs: z.number().nonnegative(),
  /** `host:pid` of the worker. */
  worker: z.string(),
})
export type JobResult = z.infer<typeof jobResultSchema>
