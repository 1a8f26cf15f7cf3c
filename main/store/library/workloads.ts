import type Database from 'better-sqlite3'
import type { Workload } from '../../../shared/formats/workload'
import type { SavedWorkload, SavedWorkloadSummary } from '../../../shared/library'
import { createLibraryRepository, type LibraryRepository } from './library-repository'

export type WorkloadRepository = LibraryRepository<Workload, SavedWorkload, SavedWorkloadSummary>

/** The stored JSON is a Workload validated by the service that saved it. */
export function createWorkloadRepository(
  db: Database.Database,
  now: () => string,
): WorkloadRepository {
  return createLibraryRepository<Workload, SavedWorkload, SavedWorkloadSummary>(
    db,
    {
      table: 'workloads',
      docColumn: 'workload_json',
      noun: 'workload',
      counts: { regions: '$.regions', processes: '$.processes' },
      toSaved: (base, json) => ({ ...base, workload: JSON.parse(json) as Workload }),
      toSummary: (base, counts) => ({
        ...base,
        regions: counts.regions,
        processes: counts.processes,
      }),
    },
    now,
  )
}
