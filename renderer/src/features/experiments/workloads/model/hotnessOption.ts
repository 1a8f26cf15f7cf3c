import type { WorkloadPreview } from '../../../../../../shared/api/contract'

/**
 * ECharts option for one phase's hotness curve: x = hottest share of the touched memory (%),
 * y = share of the accesses it receives (%). The diagonal is what a uniform pattern gives, so the
 * gap between the two is how much a small fast tier can win.
 */
export function hotnessOption(preview: WorkloadPreview | null) {
  // Without a preview the axes stay, empty: the chart is never torn down while it may be painting.
  const curve = preview
    ? preview.fractions.map((x, i) => [round(x * 100), round(preview.shares[i] * 100)])
    : []
  return {
    animation: false,
    grid: { left: 40, right: 10, top: 24, bottom: 32 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: number) => `${v} %`,
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: 100,
      name: 'hottest memory, %',
      nameLocation: 'middle',
      nameGap: 20,
    },
    yAxis: { type: 'value', min: 0, max: 100, name: 'accesses, %' },
    series: [
      { name: 'this phase', type: 'line', showSymbol: false, data: curve },
      {
        name: 'uniform',
        type: 'line',
        showSymbol: false,
        lineStyle: { type: 'dashed', width: 1 },
        data: [
          [0, 0],
          [100, 100],
        ],
      },
    ],
  }
}

/** Share of accesses (0..1) the hottest `fraction` of memory gets, interpolated on the curve. */
export function shareAt(preview: WorkloadPreview, fraction: number): number {
  const { fractions: xs, shares: ys } = preview
  if (xs.length === 0) return 0
  if (fraction <= xs[0]) return ys[0]
  for (let i = 1; i < xs.length; i++) {
    if (fraction <= xs[i]) {
      const t = (fraction - xs[i - 1]) / (xs[i] - xs[i - 1])
      return ys[i - 1] + t * (ys[i] - ys[i - 1])
    }
  }
  return ys[ys.length - 1]
}

function round(v: number): number {
  return Math.round(v * 10) / 10
}
