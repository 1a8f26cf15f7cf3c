import { RUN_SERIES, type RunSeriesKind } from '../../../../../shared/metrics/catalogue'
import type { SeriesBuffer } from './seriesBuffer'

interface LineSpec {
  key: RunSeriesKind
  name: string
  /** Multiplies the stored value (in its catalogue unit) into the chart's unit. */
  scale: number
}

export interface LiveChartSpec {
  id: string
  title: string
  unit: string
  lines: LineSpec[]
}

/** A live line named from the metric catalogue; `scale` turns its unit into the chart's. */
const line = (key: RunSeriesKind, scale: number): LineSpec => ({
  key,
  name: RUN_SERIES[key].label,
  scale,
})

/** The four live charts of DESIGN.md §6's series: throughput, latency, hit ratio, migrations. */
export const LIVE_CHARTS: readonly LiveChartSpec[] = [
  {
    id: 'throughput',
    title: RUN_SERIES.throughputOpsPerS.label,
    unit: 'Mops/s',
    lines: [line('throughputOpsPerS', 1e-6)],
  },
  {
    id: 'latency',
    title: RUN_SERIES.meanLatencyNs.label,
    unit: RUN_SERIES.meanLatencyNs.unit,
    lines: [line('meanLatencyNs', 1)],
  },
  {
    id: 'hit-ratio',
    title: RUN_SERIES.topTierHitRatio.label,
    unit: '%',
    lines: [line('topTierHitRatio', 100)],
  },
  {
    id: 'migrations',
    title: 'Migrations',
    unit: 'MB/s',
    // Decimal MB, as the kernel's promote rate limit is written (MBps).
    lines: [line('promotedBytesPerS', 1e-6), line('demotedBytesPerS', 1e-6)],
  },
]

/** [t, value] pairs in the chart's unit; NaN (a sample without the key) becomes a gap. */
export function linePoints(buf: SeriesBuffer, line: LineSpec): Array<[number, number | null]> {
  const ys = buf.values[line.key] ?? []
  return buf.t.map((t, i) => [t, Number.isFinite(ys[i]) ? ys[i] * line.scale : null])
}

export function liveChartOption(spec: LiveChartSpec, buf: SeriesBuffer) {
  return {
    // Animation on every frame's update would make the chart lag behind the data.
    animation: false,
    title: { text: `${spec.title} (${spec.unit})`, textStyle: { fontSize: 12 }, left: 4, top: 0 },
    grid: { left: 52, right: 12, top: 28, bottom: 28 },
    tooltip: { trigger: 'axis' },
    legend: spec.lines.length > 1 ? { right: 8, top: 0, textStyle: { fontSize: 11 } } : undefined,
    xAxis: { type: 'value', name: 's', nameGap: 4, min: 0 },
    // From zero: a live chart that rescales to the noise makes a flat run look dramatic.
    yAxis: { type: 'value', min: 0, max: spec.id === 'hit-ratio' ? 100 : undefined },
    series: spec.lines.map((l) => ({
      name: l.name,
      type: 'line',
      showSymbol: false,
      connectNulls: false,
      data: linePoints(buf, l),
    })),
  }
}
