import type { EChartsOption, LineSeriesOption } from 'echarts'
import type { SeriesData } from '../../../../../shared/runs'
import { axisLabel } from './axisFormat'

// Nodes, not runs or tiers: muted so they do not read as either.
const NODE_PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1']

export function nodeColor(index: number): string {
  return NODE_PALETTE[index % NODE_PALETTE.length]
}

/** One run's per-node used memory as stacked areas: the top edge is the run's footprint. */
export function occupancyOption(used: readonly SeriesData[], title: string): EChartsOption {
  const series: LineSeriesOption[] = used.map((s, i) => ({
    type: 'line',
    name: s.label,
    stack: 'used',
    areaStyle: { opacity: 0.8 },
    lineStyle: { width: 0.5 },
    color: nodeColor(i),
    showSymbol: false,
    sampling: 'lttb',
    animation: false,
    data: s.t.map((t, j) => [t, s.values[j]]),
  }))
  return {
    animation: false,
    title: { text: title, left: 'center', textStyle: { fontSize: 13, fontWeight: 600 } },
    grid: { left: 72, right: 16, top: 32, bottom: 64 },
    legend: { type: 'scroll', bottom: 0 },
    tooltip: { trigger: 'axis', confine: true },
    xAxis: {
      type: 'value',
      name: 'simulated time (s)',
      nameLocation: 'middle',
      nameGap: 24,
      min: 'dataMin',
      max: 'dataMax',
    },
    yAxis: { type: 'value', axisLabel: { formatter: axisLabel('B') } },
    series,
  }
}
