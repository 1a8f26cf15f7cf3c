import { ref, shallowRef } from 'vue'
import type { RunRecord } from '../../../../../shared/runs'
import { useClient } from '../../../api/provide'

/**
 * The finished runs "Add a run…" offers, asked of the host directly rather than borrowed from the
 * Runs feature's archive store, so the two features stay independent. Loaded once, on demand.
 */
export function useFinishedRuns() {
  const client = useClient()
  const runs = shallowRef<RunRecord[]>([])
  const loaded = ref(false)
  let loading: Promise<void> | null = null

  function load(): Promise<void> {
    loading ??= client
      .call('runs.list', { status: 'done' })
      .then((list) => {
        runs.value = list
      })
      .catch(() => {
        loading = null // try again on the next open
      })
      .finally(() => {
        loaded.value = true
      })
    return loading
  }
  return { runs, loaded, load }
}
