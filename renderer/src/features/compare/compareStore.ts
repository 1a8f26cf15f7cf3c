import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { HeatmapData, RunDetail, SeriesData } from '../../../../shared/runs'
import { errorMessage } from '../../api/replies'
import { useClient } from '../../api/provide'
import type { XAxisMode, OverlayRun } from './charts/overlayOption'
import { summaryDeltas } from './model/deltas'
import { diffDocuments } from './model/experimentDiff'
import { runColor } from './model/runColors'
import { runLabels } from './model/runLabels'
import {
  defaultSeriesKeys,
  groupSeries,
  isNodeUsedSeries,
  seriesCatalog,
  type SeriesMeta,
} from './model/seriesKeys'
import { overlaidSeriesCsv, type CsvColumn } from './model/seriesCsv'
import { sampleAt, type SampleAt } from './model/valueAt'
import { defaultBaselineId } from './model/referenceRuns'
import { compareVerdict } from './model/verdict'
import { groupRows, noiseVerdict, replicateGroups } from './model/replicates'
import { bandOption } from './charts/bandOption'

/** A compared run with everything the charts need, loaded once per id and cached. */
export interface ComparedRun {
  id: number
  index: number
  label: string
  color: string
  detail: RunDetail
  series: SeriesData[]
  /** Epoch length, s. */
  epochS: number
}

interface Loaded {
  detail: RunDetail
  series: SeriesData[]
}

export const useCompareStore = defineStore('compare', () => {
  const client = useClient()
  const runIds = ref<number[]>([])
  const baselineId = ref<number | null>(null)
  // Series are large (≤ 2,000 points each, dozens per run): cached raw, never made deeply reactive.
  const cache = shallowRef<ReadonlyMap<number, Loaded>>(new Map())
  // Heatmaps by run id, loaded on demand (loadHeatmap); absent = not loaded yet, null = none.
  const heatmaps = shallowRef<ReadonlyMap<number, HeatmapData | null>>(new Map())
  const loadErrors = ref<Record<number, string>>({})
  const pending = ref(0)
  const selectedKeys = ref<string[]>([])
  const smoothing = ref(0)
  const xAxis = ref<XAxisMode>('time')
  const cursorS = ref<number | null>(null)

  const loading = computed(() => pending.value > 0)

  const runs = computed<ComparedRun[]>(() => {
    const ready = runIds.value.filter((id) => cache.value.has(id)).map((id) => cache.value.get(id)!)
    const labels = runLabels(ready.map((r) => r.detail))
    return ready.map((r, index) => ({
      id: r.detail.id,
      index,
      label: labels[index],
      color: runColor(index),
      detail: r.detail,
      series: r.series,
      epochS: (r.detail.experiment.epochMs ?? 10) / 1000,
    }))
  })

  const baselineIndex = computed(() => {
    const i = runs.value.findIndex((r) => r.id === baselineId.value)
    return i < 0 ? 0 : i
  })
  const baseline = computed(() => runs.value[baselineIndex.value] ?? null)

  const catalog = computed(() => seriesCatalog(runs.value.map((r) => r.series)))
  const groups = computed(() => groupSeries(catalog.value))
  const selectedMeta = computed<SeriesMeta[]>(() =>
    selectedKeys.value
      .map((k) => catalog.value.find((s) => s.key === k))
      .filter((s): s is SeriesMeta => s !== undefined),
  )

  const overlayRuns = computed<OverlayRun[]>(() =>
    runs.value.map((r) => ({
      id: r.id,
      label: r.label,
      color: r.color,
      series: r.series,
      epochS: r.epochS,
    })),
  )

  /** The end of the longest selected series, s: the time cursor's range. */
  const maxTimeS = computed(() => {
    let max = 0
    for (const r of runs.value)
      for (const s of r.series)
        if (selectedKeys.value.includes(s.key) && s.t.length > 0)
          max = Math.max(max, s.t[s.t.length - 1])
    return max
  })

  const summaryRows = computed(() =>
    summaryDeltas(
      runs.value.map((r) => r.detail.summary),
      baselineIndex.value,
    ),
  )
  const verdict = computed(() =>
    compareVerdict(
      runs.value.map((r) => r.detail),
      baselineIndex.value,
    ),
  )
  // Replicates (runs of one experiment with different seeds) as mean ± 95 % CI groups.
  const replicates = computed(() => replicateGroups(runs.value))
  const replicateRows = computed(() => groupRows(replicates.value))
  const noise = computed(() =>
    noiseVerdict(replicates.value, baselineId.value ?? runIds.value[0] ?? null),
  )
  /** The first chosen series as a band per group, when some group has several seeds. */
  const bands = computed(() => {
    const meta = selectedMeta.value[0]
    if (!meta || !replicates.value.some((g) => g.runs.length > 1)) return null
    return bandOption(
      replicates.value.map((g) => ({
        label: g.label,
        color: g.color,
        series: g.runs.flatMap((r) => r.series.filter((s) => s.key === meta.key)),
      })),
      meta.unit,
      meta.label,
    )
  })
  const experimentDiff = computed(() => diffDocuments(runs.value.map((r) => r.detail.experiment)))

  /** Values of the selected series at the cursor: one row per series, one cell per run. */
  const valuesAtCursor = computed(() => {
    const at = cursorS.value
    if (at === null) return []
    return selectedMeta.value.map((meta) => ({
      meta,
      cells: runs.value.map((r): SampleAt | null => {
        const s = r.series.find((x) => x.key === meta.key)
        return s ? sampleAt(s.t, s.values, at) : null
      }),
    }))
  })

  const occupancy = computed(() =>
    runs.value.map((r) => ({ run: r, used: r.series.filter(isNodeUsedSeries) })),
  )

  /** One run's detail and series (the heatmap is loaded on demand: loadHeatmap). */
  async function fetchRun(id: number): Promise<Loaded | null> {
    try {
      const [detail, series] = await Promise.all([
        client.call('runs.get', { id }),
        client.call('runs.series', { id }),
      ])
      return { detail, series }
    } catch (e) {
      loadErrors.value = { ...loadErrors.value, [id]: errorMessage(e) }
      return null
    }
  }

  const heatmapRequests = new Set<number>()
  /**
   * Loads a run's placement heatmap, once: the largest reply (up to 2,000 × 64 values), asked for
   * only when its chart scrolls into view so it never delays the overlay.
   */
  async function loadHeatmap(id: number): Promise<void> {
    if (heatmaps.value.has(id) || heatmapRequests.has(id)) return
    heatmapRequests.add(id)
    // A heatmap that fails to load is shown as missing; the run's other views stand.
    const h = await client.call('runs.heatmap', { id }).catch(() => null)
    heatmapRequests.delete(id)
    heatmaps.value = new Map(heatmaps.value).set(id, h)
  }

  /** Compares these runs (order kept, duplicates dropped), loading the ones not cached yet. */
  async function setRuns(ids: readonly number[]): Promise<void> {
    const unique = [...new Set(ids)].filter((id) => Number.isInteger(id) && id > 0)
    runIds.value = unique
    if (baselineId.value === null || !unique.includes(baselineId.value)) {
      baselineId.value = unique[0] ?? null
    }
    const missing = unique.filter((id) => !cache.value.has(id))
    if (missing.length > 0) {
      pending.value++
      try {
        const loaded = await Promise.all(missing.map(fetchRun))
        // One update for all of them: every chart is built and drawn once, not once per reply.
        const next = new Map(cache.value)
        const errors = { ...loadErrors.value }
        missing.forEach((id, i) => {
          const l = loaded[i]
          if (!l) return
          next.set(id, l)
          delete errors[id]
        })
        cache.value = next
        loadErrors.value = errors
      } finally {
        pending.value--
      }
    }
    if (selectedMeta.value.length === 0) selectedKeys.value = defaultSeriesKeys(catalog.value)
  }

  function addRun(id: number): Promise<void> {
    return setRuns([...runIds.value, id])
  }

  function removeRun(id: number): Promise<void> {
    return setRuns(runIds.value.filter((r) => r !== id))
  }

  function setBaseline(id: number): void {
    if (runIds.value.includes(id)) baselineId.value = id
  }

  /** The baseline to open with when the URL names none: first-touch if present (referenceRuns). */
  function defaultBaseline(): number | null {
    const loaded = runIds.value
      .map((id) => cache.value.get(id)?.detail)
      .filter((d) => d !== undefined)
    return defaultBaselineId(loaded) ?? runIds.value[0] ?? null
  }

  function toggleKey(key: string): void {
    selectedKeys.value = selectedKeys.value.includes(key)
      ? selectedKeys.value.filter((k) => k !== key)
      : [...selectedKeys.value, key]
  }

  /** Drops cached data (after a run changed on the host) and reloads what is compared. */
  async function refresh(ids: readonly number[] = runIds.value): Promise<void> {
    const next = new Map(cache.value)
    const nextHeatmaps = new Map(heatmaps.value)
    for (const id of ids) {
      next.delete(id)
      nextHeatmaps.delete(id)
    }
    cache.value = next
    heatmaps.value = nextHeatmaps
    await setRuns(runIds.value)
  }

  /** The overlaid series as CSV, one row per time point (bundle export is runs.export). */
  function seriesCsv(): string {
    const columns: CsvColumn[] = []
    for (const r of runs.value)
      for (const meta of selectedMeta.value) {
        const s = r.series.find((x) => x.key === meta.key)
        if (s)
          columns.push({
            header: `${r.label}: ${meta.label} (${meta.unit})`,
            t: s.t,
            values: s.values,
          })
      }
    return overlaidSeriesCsv(columns)
  }

  async function exportBundle(): Promise<{ fileName: string; text: string }> {
    return client.call('runs.export', { ids: runs.value.map((r) => r.id) })
  }

  client.onEvent((event) => {
    // A compared run that finished or was retagged elsewhere: refresh it; a deleted one reports its error.
    if (event.type === 'run-status' && runIds.value.includes(event.runId)) {
      void refresh([event.runId])
    }
  })

  return {
    runIds,
    baselineId,
    cache,
    heatmaps,
    loadErrors,
    pending,
    selectedKeys,
    smoothing,
    xAxis,
    cursorS,
    loading,
    runs,
    baselineIndex,
    baseline,
    catalog,
    groups,
    selectedMeta,
    overlayRuns,
    maxTimeS,
    summaryRows,
    verdict,
    replicates,
    replicateRows,
    noise,
    bands,
    experimentDiff,
    valuesAtCursor,
    occupancy,
    setRuns,
    loadHeatmap,
    addRun,
    removeRun,
    setBaseline,
    defaultBaseline,
    toggleKey,
    refresh,
    seriesCsv,
    exportBundle,
  }
})
