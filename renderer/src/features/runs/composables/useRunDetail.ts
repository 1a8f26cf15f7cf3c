import { ref, shallowRef, watch, type Ref } from 'vue'
import type { RunDetail, SeriesData } from '../../../../../shared/runs'
import { useClient } from '../../../api/provide'
import { errorMessage } from '../../../api/replies'

/** The series the details pane charts: what a run did, in one glance. */
export const DETAIL_SERIES = [
  'throughputOpsPerS',
  'topTierHitRatio',
  'meanLatencyNs',
  'promotedBytesPerS',
]

/**
 * The focused run's experiment (for its knobs) and headline series, fetched when it is focused and
 * finished; a newer focus wins over a slow older answer.
 */
export function useRunDetail(runId: Ref<number>, status: Ref<string>) {
  const client = useClient()
  const detail = shallowRef<RunDetail | null>(null)
  const series = shallowRef<SeriesData[]>([])
  const error = ref<string | null>(null)
  let seq = 0
  watch(
    [runId, status],
    async ([id, st]) => {
      const mine = ++seq
      detail.value = null
      series.value = []
      error.value = null
      try {
        const d = await client.call('runs.get', { id })
        if (mine !== seq) return
        detail.value = d
        if (st !== 'done') return
        const s = await client.call('runs.series', { id, keys: DETAIL_SERIES })
        if (mine === seq) series.value = s
      } catch (e) {
        if (mine === seq) error.value = errorMessage(e)
      }
    },
    { immediate: true },
  )
  return { detail, series, error }
}
