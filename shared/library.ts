import type { Workload } from './formats/workload'

/**
 * A workload saved in the user's library (mirrors SavedTopology in shared/api/contract.ts).
 * Times are ISO-8601 strings (UTC).
 */
export interface SavedWorkload {
  id: number
  name: string
  createdAt: string
  updatedAt: string
  workload: Workload
}

export type SavedWorkloadSummary = Omit<SavedWorkload, 'workload'> & {
  regions: number
  processes: number
}
