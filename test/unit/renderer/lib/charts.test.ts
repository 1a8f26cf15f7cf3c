import { describe, expect, it } from 'vitest'
import { niceAxis } from '../../../../renderer/src/lib/charts/niceAxis'
import { smallMultiplesOption } from '../../../../renderer/src/lib/charts/smallMultiples'

function labels(lo: number, hi: number, unit: string, ticks = 4): string[] {
  const a = niceAxis(lo, hi, unit, ticks)
  const out: string[] = []
  for (let v = a.min; v <= a.max + a.interval / 2; v += a.interval) out.push(a.format(v))
  return out
}

describe('round, distinct axis ticks', () => {
  it('steps by 1, 2 or 5 of the shown unit and never repeats a label', () => {
    // 11.07 M to 11.27 M ops/s: a compact formatter with 3 digits printed 11.1M three times.
    const l = labels(11.07e6, 11.27e6, 'ops/s')
    expect(new Set(l).size).toBe(l.length)
    expect(l).toEqual(['11.05M', '11.10M', '11.15M', '11.20M', '11.25M', '11.30M'])
  })

  it('rounds bytes in binary units, not raw bytes', () => {
    // 3.1 GiB ÷ 4 ticks = 0.78 GiB → a step of 1 GiB, no decimals.
    expect(labels(0, 3.1 * 2 ** 30, 'B')).toEqual(['0 GiB', '1 GiB', '2 GiB', '3 GiB', '4 GiB'])
  })

  it('keeps ratios unscaled with the decimals the step needs, and survives a flat series', () => {
    // 0.31 ÷ 3 = 0.103 → a step of 0.2 (the next of 1, 2, 5 × 0.1), one decimal.
    expect(labels(0.62, 0.93, 'ratio', 3)).toEqual(['0.6', '0.8', '1.0'])
    const flat = labels(5, 5, 'ns')
    expect(new Set(flat).size).toBe(flat.length)
    expect(flat.length).toBeGreaterThan(1)
  })
})

describe('small multiples', () => {
  const line = (name: string, color: string) => ({
    name,
    color,
    t: [0, 1, 2],
    values: [1, 2, 3],
  })
  it('draws one panel per metric, each with its own y axis, and a plain legend of the runs', () => {
    const { option, heightPx } = smallMultiplesOption(
      [
        {
          key: 'a',
          title: 'Throughput',
          unit: 'ops/s',
          lines: [line('ft', '#f00'), line('nb', '#0f0')],
        },
        {
          key: 'b',
          title: 'Hit ratio',
          unit: 'ratio',
          lines: [line('ft', '#f00'), line('nb', '#0f0')],
        },
        { key: 'c', title: 'Latency', unit: 'ns', lines: [line('ft', '#f00'), line('nb', '#0f0')] },
      ],
      { columns: 2, panelHeightPx: 100 },
    )
    expect(option.grid).toHaveLength(3)
    expect(option.yAxis).toHaveLength(3)
    expect((option.series as unknown[]).length).toBe(6)
    expect((option.legend as { type: string }).type).toBe('plain')
    // Two rows of panels below the legend.
    expect(heightPx).toBe(26 + 2 * (100 + 22 + 26))
  })

  it('has no legend for a single run', () => {
    const { option } = smallMultiplesOption(
      [{ key: 'a', title: 'T', unit: 'ops/s', lines: [line('only', '#000')] }],
      { columns: 3, panelHeightPx: 80 },
    )
    expect(option.legend).toBeUndefined()
  })
})
