import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type {
  SavedTopology,
  SavedTopologySummary,
  TopologyPreset,
} from '../../../../shared/api/contract'
import { ApiError } from '../../../../shared/api/errors'
import type { TopologyAnalysis } from '../../../../shared/analysis'
import type { FieldIssue } from '../../../../shared/formats/parse'
import type { Topology } from '../../../../shared/formats/topology'
import { errorMessage } from '../../api/replies'
import { useClient } from '../../api/provide'

/** Which topology is shown: a shipped preset (by id) or a saved one (by row id). */
export type TopologyRef = { kind: 'preset'; id: string } | { kind: 'saved'; id: number }

export function sameRef(a: TopologyRef | null, b: TopologyRef | null): boolean {
  return a !== null && b !== null && a.kind === b.kind && a.id === b.id
}

/** The outcome of the last import: its file and, when refused, what is wrong per field. */
export interface ImportOutcome {
  fileName: string
  issues: FieldIssue[]
  /** A failure that is not about the file's content (host unreachable, …). */
  error: string | null
  /** An accepted import the host changed: already saved (nothing added), or saved renamed. */
  note?: string
}

/** Presets, saved topologies, the selected one and its analysis (as main/engine computes it). */
export const useTopologiesStore = defineStore('topologies', () => {
  const client = useClient()

  const presets = ref<TopologyPreset[]>([])
  const saved = ref<SavedTopologySummary[]>([])
  const listsLoaded = ref(false)
  const listError = ref<string | null>(null)

  const selected = ref<TopologyRef | null>(null)
  const topology = ref<Topology | null>(null)
  const analysis = ref<TopologyAnalysis | null>(null)
  /** Why the selected topology could not be analysed, per field. */
  const analysisIssues = ref<FieldIssue[]>([])
  const analysisError = ref<string | null>(null)
  const analysing = ref(false)

  const importing = ref(false)
  const lastImport = ref<ImportOutcome | null>(null)

  const selectedName = computed(() => topology.value?.name ?? null)

  async function refreshSaved(): Promise<void> {
    saved.value = await client.call('topology.list', {})
  }

  async function load(): Promise<void> {
    try {
      const [p] = await Promise.all([client.call('topology.presets', {}), refreshSaved()])
      presets.value = p
      listError.value = null
    } catch (e) {
      listError.value = errorMessage(e)
    } finally {
      listsLoaded.value = true
    }
  }

  async function fetchTopology(which: TopologyRef): Promise<Topology> {
    if (which.kind === 'saved')
      return (await client.call('topology.get', { id: which.id })).topology
    const cached = presets.value.find((p) => p.id === which.id)
    if (cached) return cached.topology
    const fresh = (await client.call('topology.presets', {})).find((p) => p.id === which.id)
    if (!fresh) throw new ApiError('not-found', `There is no preset "${which.id}".`)
    return fresh.topology
  }

  // Selections can overlap (fast clicks); only the latest one may write the result.
  let selectSeq = 0

  async function select(which: TopologyRef | null): Promise<void> {
    const seq = ++selectSeq
    selected.value = which
    topology.value = null
    analysis.value = null
    analysisIssues.value = []
    analysisError.value = null
    if (!which) return
    analysing.value = true
    try {
      const topo = await fetchTopology(which)
      const result = await client.call('topology.analyze', { topology: topo })
      if (seq !== selectSeq) return
      topology.value = result.ok ? result.topology : topo
      if (result.ok) analysis.value = result.analysis
      else analysisIssues.value = result.issues
    } catch (e) {
      if (seq === selectSeq) analysisError.value = errorMessage(e)
    } finally {
      if (seq === selectSeq) analysing.value = false
    }
  }

  /** Imports a topology file; returns the saved entry when the file was valid, else null. */
  async function importFile(fileName: string, text: string): Promise<SavedTopology | null> {
    importing.value = true
    try {
      const result = await client.call('topology.import', { fileName, text })
      if (!result.ok) {
        lastImport.value = { fileName, issues: result.issues, error: null }
        return null
      }
      lastImport.value = { fileName, issues: [], error: null, note: result.note }
      await refreshSaved()
      return result.saved
    } catch (e) {
      const issues = e instanceof ApiError ? (e.issues ?? []) : []
      lastImport.value = { fileName, issues, error: issues.length ? null : errorMessage(e) }
      return null
    } finally {
      importing.value = false
    }
  }

  function dismissImport(): void {
    lastImport.value = null
  }

  /** Deletes a saved topology; clears the selection when it was the one shown. */
  async function remove(id: number): Promise<void> {
    await client.call('topology.delete', { id })
    if (sameRef(selected.value, { kind: 'saved', id })) await select(null)
    await refreshSaved()
  }

  client.onEvent((event) => {
    if (event.type === 'changed' && event.what === 'topologies' && listsLoaded.value) {
      refreshSaved().catch((e: unknown) => (listError.value = errorMessage(e)))
    }
  })

  return {
    presets,
    saved,
    listsLoaded,
    listError,
    selected,
    topology,
    analysis,
    analysisIssues,
    analysisError,
    analysing,
    importing,
    lastImport,
    selectedName,
    load,
    refreshSaved,
    select,
    importFile,
    dismissImport,
    remove,
  }
})
