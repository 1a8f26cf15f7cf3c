import type { Store } from '../store'
import { createLibrary } from './library'
import type { ApiHandlers, ServiceEvents } from './types'

type WorkloadLibraryMethod = 'workload.list' | 'workload.get' | 'workload.save' | 'workload.delete'

/** The user's saved workloads; presets and previews live in experiments/workload-handlers.ts. */
export function createWorkloadLibraryHandlers(
  store: Store,
  events: ServiceEvents,
): Pick<ApiHandlers, WorkloadLibraryMethod> {
  const library = createLibrary('workload', store.workloads, events)
  return {
    'workload.list': library.list,
    'workload.get': library.get,
    'workload.save': ({ id, workload }) => library.save(id, workload),
    'workload.delete': library.delete,
  }
}
