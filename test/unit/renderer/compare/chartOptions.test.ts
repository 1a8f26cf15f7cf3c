import { describe, expect, it } from 'vitest'
import type { LineSeriesOption } from 'echarts'
import { overlayOption, toX } from '../../../../renderer/src/features/compare/charts/overlayOption'
import { heatmapOption } from '../../../../renderer/src/features/compare/charts/heatmapOption'
import { occupancyOption } from '../../../../renderer/src/features/compare/charts/occupancyOption'
import {
  renderSvg,
  chartFileName,
} from '../../../../renderer/src/features/compare/charts/exportChart'
import { tierColorAt } from '../../../../renderer/src/lib/tier-colors'
import { makeSeries } from '../runs/fakeRunsClient'

const thr = (vals: number[]) =>
  makeSeries(
    'throughputOpsPerS',
    'Throughput',
    'ops/s',
    vals.map((_, i) => (i + 1) * 0.01),
    vals,
  )
const lat = (vals: number[]) =>
  makeSeries(
    'meanLatencyNs',
    'Mean latency',
    'ns',
    vals.map((_, i) => (i + 1) * 0.01),
    vals,
  )

const runs = [
  {
    id: 1,
    label: 'first-touch',
    color: '#1f77b4',
    series: [thr([10, 20, 30]), lat([200, 190, 180])],
    epochS: 0.01,
  },
  { id: 2, label: 'tpp', color: '#d62728', series: [thr([15, 25, 35])], epochS: 0.01 },
]
const T = { key: 'throughputOpsPerS', label: 'Throughput', unit: 'ops/s' }
const L = { key: 'meanLatencyNs', label: 'Mean latency', unit: 'ns' }

function lines(o: ReturnType<typeof overlayOption>): LineSeriesOption[] {
  return o.series as LineSeriesOption[]
}

describe('overlayOption', () => {
  it('draws one line per run and series, coloured by run, on a time axis', () => {
    const o = overlayOption({ runs, keys: [T], smoothing: 0, xAxis: 'time', cursorS: null })
    const s = lines(o)
    expect(s.map((x) => [x.name, x.color])).toEqual([
      ['first-touch', '#1f77b4'],
      ['tpp', '#d62728'],
    ])
    expect(s[1].data).toEqual([
      [0.01, 15],
      [0.02, 25],
      [0.03, 35],
    ])
    expect(s[0].markLine).toBeUndefined()
  })

  it('gives each unit its own y-axis and skips series a run lacks', () => {
    const o = overlayOption({ runs, keys: [T, L], smoothing: 0, xAxis: 'time', cursorS: null })
    const s = lines(o)
    // Run 2 has no latency series: 3 lines, not 4.
    expect(s.map((x) => [x.name, x.yAxisIndex, (x.lineStyle as { type: string }).type])).toEqual([
      ['first-touch · Throughput', 0, 'solid'],
      ['first-touch · Mean latency', 1, 'dashed'],
      ['tpp · Throughput', 0, 'solid'],
    ])
    expect((o.yAxis as Array<{ name: string }>).map((a) => a.name)).toEqual(['ops/s', 'ns'])
  })

  it('uses epoch numbers on the epoch axis and marks the cursor there', () => {
    const o = overlayOption({
      runs: [runs[1]],
      keys: [T],
      smoothing: 0,
      xAxis: 'epoch',
      cursorS: 0.02,
    })
    const s = lines(o)
    // t = 0.01, 0.02, 0.03 s with 10 ms epochs → epochs 1, 2, 3; the cursor at 0.02 s → epoch 2.
    expect((s[0].data as number[][]).map((d) => d[0])).toEqual([1, 2, 3])
    expect(s[0].markLine?.data).toEqual([{ xAxis: 2 }])
    expect(toX(0.025, 'epoch', 0.01)).toBe(3)
  })

  it('draws the raw line faint behind the EMA when smoothing', () => {
    const o = overlayOption({
      runs: [runs[1]],
      keys: [T],
      smoothing: 0.5,
      xAxis: 'time',
      cursorS: null,
    })
    const s = lines(o)
    expect(s).toHaveLength(2)
    expect((s[0].lineStyle as { opacity: number }).opacity).toBe(0.25)
    // EMA w = 0.5 of 15, 25: 15, then (0.5·7.5 + 12.5) ÷ 0.75 = 21.666…
    expect((s[1].data as number[][])[1][1]).toBeCloseTo(65 / 3, 10)
  })
})

describe('heatmapOption', () => {
  it('lays cells out time × rank with the tier colour scale', () => {
    const o = heatmapOption(
      { t: [1, 2], rankBins: 3, tiers: [4, 7], values: [0, 0, 1, 0, 0.5, 1] },
      'tpp',
    )
    const data = (o.series as Array<{ data: number[][] }>)[0].data
    // values[row·3 + bin]: row 1, bin 1 is values[4] = 0.5.
    expect(data).toHaveLength(6)
    expect(data[4]).toEqual([1, 1, 0.5])
    const vm = o.visualMap as { min: number; max: number; inRange: { color: string[] } }
    expect(vm.min).toBe(0)
    expect(vm.max).toBe(1)
    expect(vm.inRange.color).toEqual([tierColorAt(0).strong, tierColorAt(1).strong])
  })
})

describe('occupancyOption', () => {
  it('stacks the nodes’ used bytes', () => {
    const used = [
      makeSeries('node.0.usedBytes', 'node 0 used', 'B', [1, 2], [10, 20]),
      makeSeries('node.2.usedBytes', 'node 2 used', 'B', [1, 2], [5, 5]),
    ]
    const s = occupancyOption(used, 'tpp').series as LineSeriesOption[]
    expect(s.map((x) => [x.name, x.stack, x.areaStyle !== undefined])).toEqual([
      ['node 0 used', 'used', true],
      ['node 2 used', 'used', true],
    ])
  })
})

describe('SVG export', () => {
  it('renders the same option with the SVG renderer, one path per line in its run colour', () => {
    const svg = renderSvg(
      overlayOption({ runs, keys: [T], smoothing: 0, xAxis: 'time', cursorS: null }),
      600,
      300,
    )
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('width="600"')
    // Each run's line is a path stroked in its colour (the legend icons add more).
    expect(svg).toMatch(/<path[^>]*stroke="#1f77b4"/)
    expect(svg).toMatch(/<path[^>]*stroke="#d62728"/)
  })

  it('names files after the chart title', () => {
    expect(chartFileName('Placement — tpp (#3)', 'png')).toBe('placement-tpp-3.png')
    expect(chartFileName('***', 'svg')).toBe('chart.svg')
  })
})
