import type { EChartsOption } from 'echarts'
import { smallMultiplesOption, type Panel } from '../../../lib/charts/smallMultiples'
import { emaSmooth } from '../model/smoothing'
import { toX, type OverlayInput } from './overlayOption'

/** Panels side by side: two columns fit the chart's width at 1440 px with readable axes. */
const COLUMNS = 2
const PANEL_PX = 150

/**
 * Several chosen metrics as small multiples, one panel per metric with its own y axis, instead of
 * one chart with an axis per unit (three axes and a paged legend of run × metric names). Runs keep
 * their colours across panels; the legend names only the runs and wraps, so exports show it all.
 */
export function smallMultiplesOverlay(input: OverlayInput): {
  option: EChartsOption
  heightPx: number
} {
  const panels: Panel[] = input.keys.map((meta) => ({
    key: meta.key,
    title: meta.label,
    unit: meta.unit,
    lines: input.runs.flatMap((run) => {
      const s = run.series.find((x) => x.key === meta.key)
      if (!s) return []
      const t = s.t.map((v) => toX(v, input.xAxis, run.epochS))
      const smooth = { name: run.label, color: run.color, t, values: s.values }
      if (input.smoothing <= 0) return [smooth]
      return [
        { ...smooth, faint: true },
        { ...smooth, values: emaSmooth(s.values, input.smoothing) },
      ]
    }),
  }))
  const epochS = input.runs[0]?.epochS ?? 1
  return smallMultiplesOption(panels, {
    columns: COLUMNS,
    panelHeightPx: PANEL_PX,
    xUnit: input.xAxis === 'time' ? 's' : '',
    cursorX: input.cursorS === null ? null : toX(input.cursorS, input.xAxis, epochS),
    cursorLabel: input.xAxis === 'time' ? `${input.cursorS} s` : 'cursor',
  })
}
