import { describe, expect, it } from 'vitest'
import {
  compareMeans,
  formatMeanCi,
  groupMetric,
  groupRuns,
  meanCi,
  seriesBand,
  tQuantile975,
} from '../../../shared/stats'

describe('tQuantile975', () => {
  // Reference values: qt(0.975, df) in R.
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [4, 2.7764],
    [9, 2.2622],
    [29, 2.0452],
    [30, 2.0423],
    [50, 2.0086],
    [100, 1.984],
    [1000, 1.9623],
  ])('df=%i → %f', (df, expected) => {
    expect(tQuantile975(df)).toBeCloseTo(expected, 2)
  })
  it('rounds a fractional small df down (wider, conservative)', () => {
    expect(tQuantile975(4.7)).toBe(tQuantile975(4))
  })
  it('refuses df below 1', () => {
    expect(() => tQuantile975(0)).toThrow(RangeError)
  })
})

describe('meanCi', () => {
  it('matches a hand computation: 1..5 → 3 ± 2.7764·1.5811/√5', () => {
    const ci = meanCi([1, 2, 3, 4, 5])!
    expect(ci.mean).toBe(3)
    expect(ci.sd).toBeCloseTo(Math.sqrt(2.5), 10)
    expect(ci.halfWidth).toBeCloseTo(1.9632, 3)
    expect(ci.low).toBeCloseTo(3 - 1.9632, 3)
  })
  it('gives no interval for one value and null for none', () => {
    expect(meanCi([7])).toMatchObject({ n: 1, mean: 7, halfWidth: null })
    expect(meanCi([])).toBeNull()
    expect(meanCi([NaN])).toBeNull()
  })
  it('formats with the count', () => {
    expect(formatMeanCi(meanCi([1, 2, 3, 4, 5]), (v) => v.toFixed(2))).toBe('3.00 ± 1.96 (n=5)')
    expect(formatMeanCi(meanCi([4]), (v) => v.toFixed(1))).toBe('4.0')
  })
})

describe('compareMeans', () => {
  it('calls overlapping noisy groups within the noise', () => {
    const a = meanCi([100, 110, 90, 105])!
    const b = meanCi([103, 95, 112, 99])!
    expect(compareMeans(a, b).withinNoise).toBe(true)
  })
  it('separates clearly different groups', () => {
    const a = meanCi([100, 101, 99, 100])!
    const b = meanCi([120, 121, 119, 122])!
    const d = compareMeans(a, b)
    expect(d.withinNoise).toBe(false)
    expect(d.difference).toBeCloseTo(20.5, 10)
    // Welch: se = sqrt(0.6667/4 + 1.6667/4) = 0.7638, df ≈ 5.1 → t(5) = 2.5706.
    expect(d.halfWidth).toBeCloseTo(2.5706 * 0.7638, 2)
  })
  it('cannot judge noise with a single run', () => {
    expect(compareMeans(meanCi([1])!, meanCi([2, 3])!).halfWidth).toBeNull()
  })
})

describe('grouping', () => {
  const runs = [
    { id: 1, groupKey: 'a', summary: { x: 1 } },
    { id: 2, groupKey: 'b', summary: { x: 10 } },
    { id: 3, groupKey: 'a', summary: { x: 3 } },
    { id: 4, groupKey: null, summary: null },
  ]
  it('groups by key in first-seen order; keyless runs stand alone', () => {
    expect(groupRuns(runs).map((g) => g.map((r) => r.id))).toEqual([[1, 3], [2], [4]])
  })
  it('aggregates a metric over the runs that have it', () => {
    expect(groupMetric([runs[0], runs[2], runs[3]], 'x')).toMatchObject({ n: 2, mean: 2 })
  })
})

describe('seriesBand', () => {
  it('averages replicates point by point', () => {
    const band = seriesBand([
      { t: [0, 1, 2], values: [1, 2, 3] },
      { t: [0, 1, 2], values: [3, 4, 5] },
    ])
    expect(band.t).toEqual([0, 1, 2])
    expect(band.mean).toEqual([2, 3, 4])
    // n=2, sd=√2, half = 12.7062·√2/√2 = 12.7062
    expect(band.high[0] - band.mean[0]).toBeCloseTo(12.7062, 3)
  })
})
