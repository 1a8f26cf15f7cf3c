import type { EChartsOption, LineSeriesOption, YAXisComponentOption } from 'echarts'
import type { SeriesData } from '../../../../../shared/runs'
import { LINE_TYPES } from '../model/runColors'
import type { SeriesMeta } from '../model/seriesKeys'
import { emaSmooth } from '../model/smoothing'
import { axisLabel } from './axisFormat'

export type XAxisMode = 'time' | 'epoch'

export interface OverlayRun {
  id: number
  label: string
  color: string
  series: readonly SeriesData[]
  /** Epoch length, s (experiment.epochMs ÷ 1000), for the epoch x-axis. */
  epochS: number
}

export interface OverlayInput {
  runs: readonly OverlayRun[]
  keys: readonly SeriesMeta[]
  /** EMA weight in [0, 1); 0 draws the raw series only. */
  smoothing: number
  xAxis: XAxisMode
  /** The time cursor, s of simulated time; null hides it. */
  cursorS: number | null
}

/** x of a sample: simulated time in s, or the epoch number (t ÷ epoch length, rounded). */
export function toX(tS: number, mode: XAxisMode, epochS: number): number {
  return mode === 'time' ? tS : Math.round(tS / epochS)
}

/**
 * The overlay chart: every chosen series of every run on one time axis, one y-axis per unit,
 * coloured by run and dashed by series. With smoothing, the raw line stays faint behind the EMA
 * (as TensorBoard draws it).
 */
export function overlayOption(input: OverlayInput): EChartsOption {
  const units = [...new Set(input.keys.map((k) => k.unit))]
  const yAxis: YAXisComponentOption[] = units.map((unit, i) => ({
    type: 'value',
    name: unit,
    position: i % 2 === 0 ? 'left' : 'right',
    offset: Math.floor(i / 2) * 64,
    // Not from zero: policies often differ by a few per cent, which a zero-based axis flattens.
    scale: true,
    axisLabel: { formatter: axisLabel(unit) },
    splitLine: { show: i === 0 },
  }))
  const series: LineSeriesOption[] = []
  for (const run of input.runs) {
    input.keys.forEach((meta, k) => {
      const s = run.series.find((x) => x.key === meta.key)
      if (!s) return
      const xs = s.t.map((t) => toX(t, input.xAxis, run.epochS))
      const name = input.keys.length > 1 ? `${run.label} · ${meta.label}` : run.label
      const common: LineSeriesOption = {
        type: 'line',
        yAxisIndex: units.indexOf(meta.unit),
        showSymbol: false,
        symbol: 'none',
        sampling: 'lttb',
        animation: false,
        color: run.color,
      }
      const lineType = LINE_TYPES[k % LINE_TYPES.length]
      if (input.smoothing > 0) {
        series.push({
          ...common,
          name,
          silent: true,
          tooltip: { show: false },
          lineStyle: { width: 1, opacity: 0.25, type: lineType },
          data: xs.map((x, i) => [x, s.values[i]]),
        })
      }
      const ys = input.smoothing > 0 ? emaSmooth(s.values, input.smoothing) : s.values
      series.push({
        ...common,
        name,
        lineStyle: { width: 1.6, type: lineType },
        data: xs.map((x, i) => [x, ys[i]]),
      })
    })
  }
  if (input.cursorS !== null && series.length > 0) {
    const epochS = input.runs[0]?.epochS ?? 1
    series[series.length - 1] = {
      ...series[series.length - 1],
      markLine: {
        symbol: 'none',
        silent: true,
        animation: false,
        lineStyle: { color: '#555', type: 'dashed', width: 1 },
        label: { formatter: input.xAxis === 'time' ? `${input.cursorS} s` : 'cursor' },
        data: [{ xAxis: toX(input.cursorS, input.xAxis, epochS) }],
      },
    }
  }
  return {
    animation: false,
    color: input.runs.map((r) => r.color),
    grid: { left: 72, right: units.length > 1 ? 72 : 24, top: 36, bottom: 64 },
    legend: { type: 'scroll', bottom: 0 },
    tooltip: { trigger: 'axis', confine: true },
    xAxis: {
      type: 'value',
      name: input.xAxis === 'time' ? 'simulated time (s)' : 'epoch',
      nameLocation: 'middle',
      nameGap: 26,
      // From 0 with ECharts' round maximum: 'dataMin'/'dataMax' labelled the ends 0.015 and 29.995.
      min: 0,
    },
    yAxis,
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
    series,
  }
}
