import type { EChartsOption } from 'echarts'
import type { HeatmapData } from '../../../../../shared/runs'
import { tierColorAt } from '../../../lib/tier-colors'
import { downsampleHeatmap } from '../model/heatmapDownsample'

/** Cells drawn at most: ECharts styles each cell, so 2,000 × 64 would take seconds. */
export const HEATMAP_MAX_TIMES = 160
export const HEATMAP_MAX_BINS = 32

/**
 * A placement heatmap (shared/runs.ts HeatmapData): time across, hotness rank down (hottest on
 * top), each cell coloured by the mean tier ordinal of its frames on the tier scale every other
 * view uses (0 = top tier green, slower tiers warmer).
 */
export function heatmapOption(full: HeatmapData, title: string): EChartsOption {
  const heatmap = downsampleHeatmap(full, HEATMAP_MAX_TIMES, HEATMAP_MAX_BINS)
  const { t, rankBins, values } = heatmap
  const data: Array<[number, number, number]> = []
  for (let row = 0; row < t.length; row++) {
    for (let bin = 0; bin < rankBins; bin++) {
      const v = values[row * rankBins + bin]
      if (Number.isFinite(v)) data.push([row, bin, v])
    }
  }
  const maxOrdinal = Math.max(1, heatmap.tiers.length - 1)
  const colors = Array.from({ length: maxOrdinal + 1 }, (_, i) => tierColorAt(i).strong)
  return {
    animation: false,
    title: { text: title, left: 'center', textStyle: { fontSize: 13, fontWeight: 600 } },
    grid: { left: 64, right: 16, top: 32, bottom: 72 },
    tooltip: {
      position: 'top',
      formatter: (p: unknown) => {
        const v = (p as { value: [number, number, number] }).value
        return `t ${t[v[0]]} s · hotness bin ${v[1] + 1}/${rankBins} · tier ordinal ${v[2].toFixed(2)}`
      },
    },
    xAxis: {
      type: 'category',
      data: t.map((x) => String(x)),
      name: 'simulated time (s)',
      nameLocation: 'middle',
      nameGap: 24,
      axisLabel: { hideOverlap: true },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: Array.from({ length: rankBins }, (_, i) => String(i)),
      name: 'hotness rank',
      nameLocation: 'middle',
      nameGap: 44,
      axisLabel: {
        formatter: (_: string, i: number) =>
          i === 0 ? 'hottest' : i === rankBins - 1 ? 'coldest' : '',
      },
    },
    visualMap: {
      type: 'continuous',
      min: 0,
      max: maxOrdinal,
      orient: 'horizontal',
      left: 'center',
      bottom: 4,
      itemHeight: 120,
      precision: 1,
      text: ['slower tier', 'top tier'],
      inRange: { color: colors },
    },
    // ECharts' default progressive rendering draws large heatmaps over several frames.
    series: [{ type: 'heatmap', data, animation: false }],
  }
}
