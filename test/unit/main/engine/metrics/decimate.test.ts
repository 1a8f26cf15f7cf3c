import { describe, expect, it } from 'vitest'
import { bucketSize, decimateMeans, MAX_POINTS } from '../../../../../main/engine/metrics/decimate'
import { SeriesRecorder } from '../../../../../main/engine/metrics/series'
import { HeatmapRecorder } from '../../../../../main/engine/metrics/heatmap'

describe('metric decimation', () => {
  it('averages buckets so a series keeps at most 2000 points', () => {
    expect(bucketSize(6000)).toBe(3)
    expect(bucketSize(2000)).toBe(1)
    expect(bucketSize(2001)).toBe(2)
    // [1,2,3,4,5] in buckets of 2: means 1.5, 3.5, 5.
    expect(decimateMeans([1, 2, 3, 4, 5], 5, 2)).toEqual([1.5, 3.5, 5])
  })

  it('records per-epoch values and returns time as bucket means in s', () => {
    // 6000 epochs of 10 ms: buckets of 3; the first bucket's ends 0.01, 0.02, 0.03 → t 0.02.
    const rec = new SeriesRecorder(6000, 0.01)
    const id = rec.define('x', 'x', 'u')
    for (let e = 0; e < 6000; e++) {
      rec.set(id, e)
      rec.next()
    }
    const [s] = rec.build()
    expect(s.values.length).toBe(MAX_POINTS)
    expect(s.t[0]).toBeCloseTo(0.02, 12)
    expect(s.values[0]).toBe(1) // mean of 0, 1, 2
    expect(s.values[MAX_POINTS - 1]).toBe(5998) // mean of 5997, 5998, 5999
  })

  it('keeps the heatmap within 2000 rows of 64 bins', () => {
    const h = new HeatmapRecorder(5000, 64, [4, 81])
    const sum = new Float64Array(64).fill(3)
    const count = new Float64Array(64).fill(4)
    for (let e = 0; e < 5000; e++) h.add(e, sum, count)
    const d = h.build()
    // 5000 epochs in buckets of 3: ceil(5000 / 3) = 1667 rows.
    expect(d.t.length).toBe(1667)
    expect(d.values.length).toBe(1667 * 64)
    expect(d.values[0]).toBe(0.75) // 3 / 4
    expect(d.tiers).toEqual([4, 81])
  })
})
