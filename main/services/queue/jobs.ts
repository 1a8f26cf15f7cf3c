import { z } from 'zod'

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

/** What a worker returns: the simulation's result (compact, see result-codec.ts). */
export {
  encodedResultSchema as jobResultSchema,
  type EncodedResult as JobResult,
} from './result-codec'
