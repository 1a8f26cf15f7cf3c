import { ApiError } from '../../shared/api'
import type { Store } from '../store'
import type { ApiHandlers } from './types'

/** Reading the archive; starting, editing and exporting runs is runs/run-handlers.ts. */
export function createArchiveHandlers(
  store: Store,
): Pick<ApiHandlers, 'runs.list' | 'runs.get' | 'runs.sweeps'> {
  return {
    'runs.sweeps': async () => store.runs.sweeps(),
    'runs.list': async (filter) => store.runs.list(filter),
    'runs.get': async ({ id }) => {
      const run = store.runs.get(id)
      if (!run) {
        throw new ApiError(
          'not-found',
          `There is no run with id ${id}; \`tierlab list\` shows the archive.`,
        )
      }
      return run
    },
  }
}
