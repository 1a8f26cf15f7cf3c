import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppInfo } from '../../../shared/api/contract'
import { errorMessage } from '../api/replies'
import { useClient } from '../api/provide'

/** Facts about the running app (version, database, host); settings will join them here. */
export const useAppStore = defineStore('app', () => {
  const client = useClient()
  const info = ref<AppInfo | null>(null)
  const error = ref<string | null>(null)

  async function load(): Promise<void> {
    try {
      info.value = await client.call('app.info', {})
      error.value = null
    } catch (e) {
      error.value = errorMessage(e)
    }
  }

  return { info, error, load }
})
