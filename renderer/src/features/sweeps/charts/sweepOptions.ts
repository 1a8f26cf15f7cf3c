import type { EChartsCoreOption } from 'echarts/core'
import { formatMeanCi } from '../../../../../shared/stats'
import type { SweepPoint } from '../model/sweepModel'
import { heatmapCells, lineSeries } from '../model/sweepModel'
import type { RunRecord } from '../../../../../shared/runs'

const LINE_COLOUR = '#1f77b4'
const BAND_COLOUR = 'rgba(31, 119, 180, 0.22)'
const fmt = (v: number) => String(Number(v.toPrecision(4)))

/**
 * A metric against one knob: the mean as a line with points, the 95 % CI as a band. The band is
 * two stacked series (the lower bound, invisible, then the width), the usual way to fill between
 * two lines in ECharts. `dataIndex` of a click is the point's index.
 */
export function sweepLineOption(
  runs: readonly RunRecord[],
  knob: string,
  metric: string,
): { option: EChartsCoreOption; points: Array<SweepPoint | null> } {
  const { categories, points } = lineSeries(runs, knob, metric)
  const mean = points.map((p) => p?.ci?.mean ?? null)
  const low = points.map((p) => p?.ci?.low ?? null)
  const width = points.map((p) => (p?.ci ? p.ci.high - p.ci.low : null))
  return {
    points,
    option: {
      animation: false,
      grid: { left: 80, right: 24, top: 36, bottom: 56 },
      tooltip: {
        trigger: 'axis',
        formatter: (params: Array<{ dataIndex: number }>) => {
          const p = points[params[0]?.dataIndex ?? -1]
          if (!p) return ''
          return `${knob} = ${categories[params[0].dataIndex]}<br>${metric}: ${formatMeanCi(p.ci, fmt)}<br>${p.runIds.length} run(s) — click to open`
        },
      },
      xAxis: {
        type: 'category',
        data: categories,
        name: knob,
        nameLocation: 'middle',
        nameGap: 32,
      },
      yAxis: { type: 'value', name: metric, scale: true },
      series: [
        {
          name: 'low',
          type: 'line',
          data: low,
          stack: 'ci',
          lineStyle: { opacity: 0 },
          symbol: 'none',
          silent: true,
        },
        {
          name: '95% CI',
          type: 'line',
          data: width,
          stack: 'ci',
          lineStyle: { opacity: 0 },
          areaStyle: { color: BAND_COLOUR },
          symbol: 'none',
          silent: true,
        },
        {
          name: 'mean',
          type: 'line',
          data: mean,
          color: LINE_COLOUR,
          symbolSize: 10,
          lineStyle: { width: 2 },
        },
      ],
    },
  }
}

/** A metric over two knobs: one cell per grid point, coloured by the mean. */
export function sweepHeatmapOption(
  runs: readonly RunRecord[],
  knobs: readonly [string, string],
  metric: string,
): {
  option: EChartsCoreOption
  points: SweepPoint[]
  cells: Array<{ x: number; y: number; point: SweepPoint }>
} {
  const { xCategories, yCategories, cells } = heatmapCells(runs, knobs, metric)
  const means = cells.map((c) => c.point.ci!.mean)
  const min = Math.min(...means)
  const max = Math.max(...means)
  return {
    points: cells.map((c) => c.point),
    cells,
    option: {
      animation: false,
      grid: { left: 100, right: 24, top: 36, bottom: 90 },
      tooltip: {
        formatter: (p: { dataIndex: number }) => {
          const cell = cells[p.dataIndex]
          if (!cell) return ''
          return `${knobs[0]} = ${xCategories[cell.x]}, ${knobs[1]} = ${yCategories[cell.y]}<br>${metric}: ${formatMeanCi(cell.point.ci, fmt)}<br>click to open its runs`
        },
      },
      xAxis: {
        type: 'category',
        data: xCategories,
        name: knobs[0],
        nameLocation: 'middle',
        nameGap: 28,
      },
      yAxis: { type: 'category', data: yCategories, name: knobs[1] },
      visualMap: {
        min: Number.isFinite(min) ? min : 0,
        max: Number.isFinite(max) && max > min ? max : min + 1,
        calculable: true,
        orient: 'horizontal',
        right: 24,
        bottom: 4,
        precision: 4,
        inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] },
      },
      series: [
        {
          name: metric,
          type: 'heatmap',
          data: cells.map((c) => [c.x, c.y, c.point.ci!.mean]),
          label: { show: true, formatter: (p: { value: number[] }) => fmt(p.value[2]) },
        },
      ],
    },
  }
}
