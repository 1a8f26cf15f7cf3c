import type { EChartsOption, LineSeriesOption } from 'echarts'
import { niceAxis } from './niceAxis'

/** One line in a panel: a run's values of one metric over simulated time (s). */
export interface PanelLine {
  name: string
  color: string
  t: readonly number[]
  values: readonly number[]
  /** Drawn thin and pale behind the others, without tooltip (the raw line behind a smoothed one). */
  faint?: boolean
  dashed?: 'dashed' | 'dotted'
}

/** One small chart: one metric, one y axis in its unit, a line per run. */
export interface Panel {
  key: string
  title: string
  unit: string
  lines: PanelLine[]
}

export interface SmallMultiplesLayout {
  columns: number
  panelHeightPx: number
  /** A vertical marker at this x in every panel (Compare's time cursor); null or absent for none. */
  cursorX?: number | null
  cursorLabel?: string
  /** The x axis' unit for its tick labels: seconds by default. */
  xUnit?: string
}

const TITLE_PX = 22
const LEGEND_PX = 26
const AXIS_PX = 26

function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    if (!Number.isFinite(v)) continue
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  return lo <= hi ? [lo, hi] : [0, 1]
}

/**
 * Small multiples, as W&B and MLflow draw several metrics: one small panel per metric, each with
 * its own y axis in its unit and round, distinct ticks, sharing the time axis and the run colours.
 * A plain (wrapping, never paged) legend names the runs when there are several, so an exported
 * PNG shows them all. Returns the option and the height it needs.
 */
export function smallMultiplesOption(
  panels: readonly Panel[],
  layout: SmallMultiplesLayout,
): { option: EChartsOption; heightPx: number } {
  const names = [...new Set(panels.flatMap((p) => p.lines.map((l) => l.name)))]
  const legendPx = names.length > 1 ? LEGEND_PX : 0
  const columns = Math.max(1, Math.min(layout.columns, panels.length))
  const rows = Math.ceil(panels.length / columns)
  const cellPx = layout.panelHeightPx + TITLE_PX + AXIS_PX
  const [tMin, tMax] = extent(panels.flatMap((p) => p.lines.flatMap((l) => [...l.t])))
  const x = niceAxis(Math.min(0, tMin), tMax, layout.xUnit ?? 's', 4)
  const widthPct = 100 / columns

  const option: EChartsOption = {
    animation: false,
    legend:
      names.length > 1
        ? { type: 'plain', top: 0, left: 'center', data: names, itemWidth: 14, itemHeight: 8 }
        : undefined,
    tooltip: { trigger: 'axis', confine: true },
    title: [],
    grid: [],
    xAxis: [],
    yAxis: [],
    series: [],
  }
  const titles = option.title as object[]
  const grids = option.grid as object[]
  const xAxes = option.xAxis as object[]
  const yAxes = option.yAxis as object[]
  const series = option.series as LineSeriesOption[]

  panels.forEach((panel, i) => {
    const col = i % columns
    const row = Math.floor(i / columns)
    const top = legendPx + row * cellPx
    const left = `${col * widthPct + 1}%`
    const [lo, hi] = extent(panel.lines.flatMap((l) => [...l.values]))
    const y = niceAxis(lo, hi, panel.unit, 3)
    titles.push({
      text: panel.unit && panel.unit !== 'ratio' ? `${panel.title} (${panel.unit})` : panel.title,
      left,
      top,
      textStyle: { fontSize: 12, fontWeight: 600 },
    })
    grids.push({
      left: `${col * widthPct + 1}%`,
      width: `${widthPct - 2}%`,
      top: top + TITLE_PX,
      height: layout.panelHeightPx,
      containLabel: true,
    })
    xAxes.push({
      gridIndex: i,
      type: 'value',
      min: x.min,
      max: x.max,
      interval: x.interval,
      axisLabel: { formatter: x.format, fontSize: 10 },
    })
    yAxes.push({
      gridIndex: i,
      type: 'value',
      min: y.min,
      max: y.max,
      interval: y.interval,
      axisLabel: { formatter: y.format, fontSize: 10 },
      splitLine: { lineStyle: { opacity: 0.5 } },
    })
    panel.lines.forEach((line, k) => {
      const s: LineSeriesOption = {
        type: 'line',
        name: line.name,
        xAxisIndex: i,
        yAxisIndex: i,
        data: line.t.map((t, j) => [t, line.values[j]]),
        showSymbol: false,
        symbol: 'none',
        sampling: 'lttb',
        color: line.color,
        lineStyle: line.faint
          ? { width: 1, opacity: 0.25, type: line.dashed ?? 'solid' }
          : { width: 1.5, type: line.dashed ?? 'solid' },
      }
      if (line.faint) {
        s.silent = true
        s.tooltip = { show: false }
      }
      if (layout.cursorX != null && k === panel.lines.length - 1)
        s.markLine = {
          symbol: 'none',
          silent: true,
          animation: false,
          lineStyle: { color: '#555', type: 'dashed', width: 1 },
          label: { formatter: layout.cursorLabel ?? '' },
          data: [{ xAxis: layout.cursorX }],
        }
      series.push(s)
    })
  })
  return { option, heightPx: legendPx + rows * cellPx }
}
