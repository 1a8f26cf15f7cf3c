import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef } from 'vue'
import type { RunExport } from '../../../../shared/api/contract'
import type { RunRecord } from '../../../../shared/runs'
import { errorMessage } from '../../api/replies'
import { useClient } from '../../api/provide'
import {
  EMPTY_FILTER,
  filterRuns,
  runFacets,
  sortRuns,
  type RunFilter,
  type RunSort,
} from './model/runFilter'
import { progressFromEvent, type RunProgress } from './model/progress'
import type { RunColumn } from './model/runColumns'
import { isNumericColumn } from './model/runColumns'

/**
 * The archive view's state: every run (newest first, as runs.list answers), the filter and sort
 * applied to them in the renderer (10,000 runs filter in a few ms, so no round trip per keystroke),
 * the selection, and live progress of running runs from the host's events.
 */
/** Runs in the first reply: enough to fill the screen, cheap for the host to list. */
export const FIRST_PAGE = 200

export const useArchiveStore = defineStore('run-archive', () => {
  const client = useClient()
  // shallowRef: 10,000 records need no deep reactivity; every change replaces the array.
  const runs = shallowRef<RunRecord[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  /** False while only the first page is in: the rest of the archive is still coming. */
  const complete = ref(false)
  const error = ref<string | null>(null)
  const actionError = ref<string | null>(null)
  const filter = reactive<RunFilter>({ ...EMPTY_FILTER })
  const sort = ref<RunSort>({ column: 'created', descending: true })
  const selected = shallowRef<ReadonlySet<number>>(new Set())
  const focusedId = ref<number | null>(null)
  const progress = ref<Record<number, RunProgress>>({})

  const visible = computed(() => sortRuns(filterRuns(runs.value, filter), sort.value))
  const facets = computed(() => runFacets(runs.value))
  const byId = computed(() => new Map(runs.value.map((r) => [r.id, r])))
  const focused = computed(() =>
    focusedId.value === null ? null : (byId.value.get(focusedId.value) ?? null),
  )
  /** Selected runs in table order (the order Compare and exports get them in). */
  const selectedRuns = computed(() => visible.value.filter((r) => selected.value.has(r.id)))

  /**
   * Loads the archive. The first time, the newest FIRST_PAGE runs come first so the table shows at
   * once; the rest follows (on 10,000 runs the host needs ~0.5 s to list them all).
   */
  async function load(): Promise<void> {
    loading.value = true
    try {
      if (!loaded.value) {
        // One after the other: the host answers requests in turn, so asking for both at once would
        // hold the small page behind the full list.
        const first = await client.call('runs.list', { limit: FIRST_PAGE })
        setRuns(first)
        loaded.value = true
        error.value = null
        if (first.length < FIRST_PAGE) {
          complete.value = true
          return
        }
      }
      setRuns(await client.call('runs.list', {}))
      complete.value = true
      error.value = null
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
      loaded.value = true
    }
  }

  function setRuns(list: RunRecord[]): void {
    runs.value = list
    const ids = new Set(list.map((r) => r.id))
    const kept = [...selected.value].filter((id) => ids.has(id))
    if (kept.length !== selected.value.size) selected.value = new Set(kept)
  }

  function replaceRun(run: RunRecord): void {
    runs.value = runs.value.map((r) => (r.id === run.id ? run : r))
  }

  async function act<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await fn()
      actionError.value = null
      return value
    } catch (e) {
      actionError.value = errorMessage(e)
      return undefined
    }
  }

  async function setTags(id: number, tags: string[]): Promise<void> {
    const run = await act(() => client.call('runs.setTags', { id, tags }))
    if (run) replaceRun(run)
  }

  async function setNotes(id: number, notes: string): Promise<void> {
    const run = await act(() => client.call('runs.setNotes', { id, notes }))
    if (run) replaceRun(run)
  }

  async function deleteRuns(ids: number[]): Promise<number> {
    if (ids.length === 0) return 0
    const res = await act(() => client.call('runs.delete', { ids }))
    if (!res) return 0
    const gone = new Set(ids)
    runs.value = runs.value.filter((r) => !gone.has(r.id))
    selected.value = new Set([...selected.value].filter((id) => !gone.has(id)))
    if (focusedId.value !== null && gone.has(focusedId.value)) focusedId.value = null
    return res.deleted
  }

  async function exportBundle(ids: number[]): Promise<RunExport | undefined> {
    if (ids.length === 0) return undefined
    return act(() => client.call('runs.export', { ids }))
  }

  function setSort(column: RunColumn): void {
    sort.value =
      sort.value.column === column
        ? { column, descending: !sort.value.descending }
        : { column, descending: isNumericColumn(column) || column === 'created' }
  }

  function resetFilter(): void {
    Object.assign(filter, EMPTY_FILTER)
  }

  function toggleSelected(id: number): void {
    const next = new Set(selected.value)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    selected.value = next
  }

  /** Selects every visible run, or clears the selection when all of them are selected already. */
  function toggleAllVisible(): void {
    const all = visible.value.length > 0 && visible.value.every((r) => selected.value.has(r.id))
    selected.value = all ? new Set() : new Set(visible.value.map((r) => r.id))
  }

  function clearSelection(): void {
    selected.value = new Set()
  }

  // Reload on changes, but at most one request in flight: a sweep emits many events at once.
  let reloadQueued = false
  async function reloadSoon(): Promise<void> {
    if (reloadQueued) return
    reloadQueued = true
    await Promise.resolve()
    reloadQueued = false
    if (loaded.value) await load()
  }

  client.onEvent((event) => {
    if (event.type === 'run-progress') {
      progress.value = { ...progress.value, [event.runId]: progressFromEvent(event) }
      const run = byId.value.get(event.runId)
      if (run && run.status === 'queued') replaceRun({ ...run, status: 'running' })
    } else if (event.type === 'run-status') {
      const run = byId.value.get(event.runId)
      if (run) replaceRun({ ...run, status: event.status })
      if (event.status !== 'running' && event.runId in progress.value) {
        const { [event.runId]: _done, ...rest } = progress.value
        progress.value = rest
      }
      // A finished run gains its summary and times: fetch them.
      if (event.status !== 'running' && event.status !== 'queued') void reloadSoon()
    } else if (event.what === 'runs') {
      void reloadSoon()
    }
  })

  return {
    runs,
    loaded,
    loading,
    complete,
    error,
    actionError,
    filter,
    sort,
    selected,
    focusedId,
    progress,
    visible,
    facets,
    focused,
    selectedRuns,
    load,
    setTags,
    setNotes,
    deleteRuns,
    exportBundle,
    setSort,
    resetFilter,
    toggleSelected,
    toggleAllVisible,
    clearSelection,
  }
})
