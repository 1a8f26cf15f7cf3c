import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { MachineImport, SavedTopology } from '../../../shared/api/contract'
import { errorMessage } from '../api/replies'
import { useClient } from '../api/provide'
import type { DroppedFile } from '../lib/file-base64'

/**
 * A machine dropped on Topologies: main reads the files into one topology and lists what it had
 * to assume; nothing reaches the library until the user saves it, so a bad file or a discarded
 * import leaves no entry behind.
 */
export const useMachineImportStore = defineStore('machineImport', () => {
  const client = useClient()
  const result = ref<MachineImport | null>(null)
  const error = ref<string | null>(null)
  const busy = ref(false)

  async function importFiles(files: DroppedFile[]): Promise<void> {
    busy.value = true
    error.value = null
    result.value = null
    try {
      result.value = await client.call('topology.importMachine', { files })
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      busy.value = false
    }
  }

  async function save(): Promise<SavedTopology | null> {
    if (!result.value) return null
    busy.value = true
    try {
      const saved = await client.call('topology.save', {
        topology: JSON.parse(JSON.stringify(result.value.topology)),
      })
      result.value = null
      return saved
    } catch (e) {
      error.value = errorMessage(e)
      return null
    } finally {
      busy.value = false
    }
  }

  function discard(): void {
    result.value = null
    error.value = null
  }

  return { result, error, busy, importFiles, save, discard }
})
