import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { RunRecord } from '../../../../shared/runs'
import type { SweepInfo } from '../../../../shared/sweeps'
import { useClient } from '../../api/provide'
import { errorMessage } from '../../api/replies'
import { sweepHeatmapOption, sweepLineOption } from './charts/sweepOptions'
import { sweepMetrics } from './model/sweepModel'

/**
 * The sweep view: pick a sweep (a batch), pick a metric, see it against the swept knob(s) — a line
 * with 95 % CI bands for one knob, a heatmap for two (the first two when there are more).
 */
export const useSweepsStore = defineStore('sweeps', () => {
  const client = useClient()
  const sweeps = ref<SweepInfo[]>([])
  const selected = ref<string | null>(null)
  const runs = shallowRef<RunRecord[]>([])
  const metric = ref('throughputOpsPerS')
  const error = ref<string | null>(null)
  const loading = ref(false)

  const sweep = computed(() => sweeps.value.find((s) => s.sweep === selected.value) ?? null)
  const knobs = computed(() => sweep.value?.knobs ?? [])
  const metrics = computed(() => sweepMetrics(runs.value))
  const chart = computed(() => {
    const k = knobs.value
    if (k.length === 0 || runs.value.length === 0) return null
    if (k.length === 1)
      return { kind: 'line' as const, ...sweepLineOption(runs.value, k[0], metric.value) }
    return {
      kind: 'heatmap' as const,
      ...sweepHeatmapOption(runs.value, [k[0], k[1]], metric.value),
    }
  })

  async function select(id: string): Promise<void> {
    selected.value = id
    loading.value = true
    try {
      runs.value = await client.call('runs.list', { batch: id })
      if (!metrics.value.includes(metric.value) && metrics.value.length > 0) {
        metric.value = metrics.value[0]
      }
      error.value = null
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  async function load(): Promise<void> {
    try {
      sweeps.value = (await client.call('runs.sweeps', {})).filter((s) => s.knobs.length > 0)
      error.value = null
      const keep = sweeps.value.some((s) => s.sweep === selected.value)
      if (keep) await select(selected.value!)
      else if (sweeps.value.length > 0) await select(sweeps.value[0].sweep)
    } catch (e) {
      error.value = errorMessage(e)
    }
  }

  /**
   * The runs of the point under a click, from its axis indices: the line's category `x`, or the
   * heatmap's cell (`x`, `y`). A click anywhere in a value's column counts, not only on the dot.
   */
  function runsAt(x: number, y: number): number[] {
    const c = chart.value
    if (!c) return []
    if (c.kind === 'line') return c.points[x]?.runIds ?? []
    return c.cells.find((cell) => cell.x === x && cell.y === y)?.point.runIds ?? []
  }

  return {
    sweeps,
    selected,
    sweep,
    runs,
    metric,
    metrics,
    knobs,
    chart,
    error,
    loading,
    load,
    select,
    runsAt,
  }
})
