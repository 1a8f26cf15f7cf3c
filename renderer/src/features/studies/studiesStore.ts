import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { StudySummary } from '../../../../shared/studies'
import { useClient } from '../../api/provide'
import { errorMessage } from '../../api/replies'
import { studyRows } from './model/studyRows'

/** The Studies list: shipped studies and the runs of their newest `tierlab study` here. */
export const useStudiesStore = defineStore('studies', () => {
  const client = useClient()
  const studies = shallowRef<StudySummary[]>([])
  const loaded = ref(false)
  const error = ref<string | null>(null)
  const rows = computed(() => studyRows(studies.value))

  async function load(): Promise<void> {
    try {
      studies.value = await client.call('studies.list', {})
      error.value = null
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loaded.value = true
    }
  }

  return { studies, rows, loaded, error, load }
})
