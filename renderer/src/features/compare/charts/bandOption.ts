import type { EChartsOption, LineSeriesOption } from 'echarts'
import type { SeriesData } from '../../../../../shared/runs'
import { seriesBand } from '../../../../../shared/stats'
import { axisLabel } from './axisFormat'

export interface BandGroup {
  label: string
  color: string
  series: readonly SeriesData[]
}

/** `#1f77b4` → `rgba(31, 119, 180, a)`. */
function alpha(hex: string, a: number): string {
  const n = (i: number) => parseInt(hex.slice(i, i + 2), 16)
  return /^#[0-9a-f]{6}$/i.test(hex) ? `rgba(${n(1)}, ${n(3)}, ${n(5)}, ${a})` : hex
}

/**
 * One series across replicate groups: each group's pointwise mean as a line with its 95 % CI as a
 * band (a lower bound, invisible, and the width stacked on it, per group).
 */
export function bandOption(
  groups: readonly BandGroup[],
  unit: string,
  label: string,
): EChartsOption {
  const series: LineSeriesOption[] = []
  groups.forEach((g, i) => {
    const band = seriesBand(g.series)
    const stack = `ci-${i}`
    series.push(
      {
        type: 'line',
        name: `${g.label} low`,
        stack,
        data: band.t.map((t, k) => [t, band.low[k]]),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        silent: true,
      },
      {
        type: 'line',
        name: `${g.label} 95% CI`,
        stack,
        data: band.t.map((t, k) => [t, band.high[k] - band.low[k]]),
        lineStyle: { opacity: 0 },
        areaStyle: { color: alpha(g.color, 0.2) },
        symbol: 'none',
        silent: true,
      },
      {
        type: 'line',
        name: g.label,
        data: band.t.map((t, k) => [t, band.mean[k]]),
        color: g.color,
        symbol: 'none',
        lineStyle: { width: 1.6 },
      },
    )
  })
  return {
    animation: false,
    grid: { left: 72, right: 24, top: 36, bottom: 64 },
    legend: { bottom: 0, data: groups.map((g) => g.label) },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: 's', scale: true },
    yAxis: {
      type: 'value',
      name: `${label} (${unit})`,
      scale: true,
      axisLabel: { formatter: axisLabel(unit) },
    },
    series,
  }
}
