import { ref } from 'vue'
import type { SavedTopologySummary, TopologyPreset } from '../../../../../shared/api/contract'
import { useClient } from '../../../api/provide'
import { errorMessage } from '../../../api/replies'
import { useEditorStore } from '../editorStore'

/** The saved topologies and presets as the editor's open/duplicate/rename/delete dialog uses them. */
export function useTopologyLibrary() {
  const client = useClient()
  const store = useEditorStore()
  const saved = ref<SavedTopologySummary[]>([])
  const presets = ref<TopologyPreset[]>([])
  const error = ref<string | null>(null)

  async function guard(task: () => Promise<void>): Promise<void> {
    try {
      await task()
      error.value = null
    } catch (e) {
      error.value = errorMessage(e)
    }
  }

  const refresh = () =>
    guard(async () => {
      saved.value = await client.call('topology.list', {})
    })

  const loadPresets = () =>
    guard(async () => {
      presets.value = await client.call('topology.presets', {})
    })

  const duplicate = (id: number) =>
    guard(async () => {
      const original = await client.call('topology.get', { id })
      await client.call('topology.save', {
        topology: { ...original.topology, name: `${original.name} (copy)` },
      })
      await refresh()
    })

  const rename = (id: number, name: string) =>
    guard(async () => {
      const original = await client.call('topology.get', { id })
      await client.call('topology.save', { id, topology: { ...original.topology, name } })
      // The open document follows when it is the renamed one, and stays unmodified.
      if (store.savedId === id && !store.dirty) await store.open(id)
      await refresh()
    })

  const remove = (id: number) =>
    guard(async () => {
      await client.call('topology.delete', { id })
      if (store.savedId === id) store.forgetSaved()
      await refresh()
    })

  return { saved, presets, error, refresh, loadPresets, duplicate, rename, remove }
}
