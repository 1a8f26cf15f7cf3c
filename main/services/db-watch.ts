import type { ApiEvent } from '../../shared/api'
import type { Store } from '../store'

/**
 * Watches the shared database for writes by other processes (the CLI running or importing runs,
 * another window) and announces them as the `changed` events clients already reload on. It polls
 * `PRAGMA data_version` (one integer read, no query plan) rather than the file's mtime, which WAL
 * mode does not update on every commit; this process's own writes already emit their events.
 */
export function watchDatabase(
  store: Pick<Store, 'dataVersion'>,
  emit: (event: ApiEvent) => void,
  intervalMs: number,
): { stop(): void } {
  let last = store.dataVersion()
  const timer = setInterval(() => {
    let now: number
    try {
      now = store.dataVersion()
    } catch {
      return // closing, or busy: the next tick tries again
    }
    if (now === last) return
    last = now
    // The version says only that something changed: every list is re-read, each cheaply.
    emit({ type: 'changed', what: 'runs' })
    emit({ type: 'changed', what: 'topologies' })
    emit({ type: 'changed', what: 'workloads' })
  }, intervalMs)
  timer.unref?.()
  return { stop: () => clearInterval(timer) }
}
