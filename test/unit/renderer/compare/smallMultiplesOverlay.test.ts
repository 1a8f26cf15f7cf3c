import { describe, expect, it } from 'vitest'
import { smallMultiplesOverlay } from '../../../../renderer/src/features/compare/charts/smallMultiplesOverlay'

const series = (key: string, unit: string, values: number[]) => ({
  key,
  label: key,
  unit,
  t: values.map((_, i) => i * 0.5),
  values,
})
const runs = [
  {
    id: 1,
    label: 'first-touch',
    color: '#0a0',
    epochS: 0.01,
    series: [series('thr', 'ops/s', [1e6, 2e6, 3e6]), series('lat', 'ns', [140, 150, 145])],
  },
  {
    id: 2,
    label: 'numa-balancing-tiering',
    color: '#a00',
    epochS: 0.01,
    series: [series('thr', 'ops/s', [2e6, 3e6, 4e6]), series('lat', 'ns', [120, 118, 117])],
  },
]
const keys = [
  { key: 'thr', label: 'Throughput', unit: 'ops/s' },
  { key: 'lat', label: 'Mean latency', unit: 'ns' },
]

describe('several metrics in Compare', () => {
  it('get a panel and a y axis each, and a wrapping legend that names only the runs', () => {
    const { option } = smallMultiplesOverlay({
      runs,
      keys,
      smoothing: 0,
      xAxis: 'time',
      cursorS: null,
    })
    expect(option.grid).toHaveLength(2)
    expect(option.yAxis).toHaveLength(2)
    const legend = option.legend as { type: string; data: string[] }
    expect(legend.type).toBe('plain')
    expect(legend.data).toEqual(['first-touch', 'numa-balancing-tiering'])
    const s = option.series as Array<{ name: string; xAxisIndex: number; color: string }>
    expect(s.map((x) => [x.name, x.xAxisIndex])).toEqual([
      ['first-touch', 0],
      ['numa-balancing-tiering', 0],
      ['first-touch', 1],
      ['numa-balancing-tiering', 1],
    ])
  })

  it('keeps the raw line faint behind the smoothed one, and marks the cursor in every panel', () => {
    const { option } = smallMultiplesOverlay({
      runs,
      keys,
      smoothing: 0.5,
      xAxis: 'time',
      cursorS: 0.5,
    })
    const s = option.series as Array<{ silent?: boolean; markLine?: unknown; yAxisIndex: number }>
    expect(s).toHaveLength(8)
    expect(s.filter((x) => x.silent)).toHaveLength(4)
    expect(new Set(s.filter((x) => x.markLine).map((x) => x.yAxisIndex))).toEqual(new Set([0, 1]))
  })
})
