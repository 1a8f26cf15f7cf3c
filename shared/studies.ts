import type { RunStatus } from './runs'

/**
 * A shipped study (resources/studies) as the app lists it (`studies.list`), with the runs of its
 * newest `tierlab study NAME` in the archive, so they open in Compare.
 */
export interface StudySummary {
  name: string
  title: string
  question: string
  conclusion: string
  /** How many checkable claims its conclusion rests on. */
  claims: number
  /** Why the study file cannot be read (a broken edit), or null. */
  problem: string | null
  /** The newest batch of its runs in this database, or null when it was never run here. */
  latest: {
    batch: string
    runs: Array<{ runId: number; variant: string; name: string; status: RunStatus }>
    /** The run of the study's baseline variant, which Compare pins. */
    baselineRunId: number | null
  } | null
  /** How many times it was run into this database. */
  batches: number
}
