import { describe, expect, it } from 'vitest'
import { downsampleHeatmap } from '../../../../renderer/src/features/compare/model/heatmapDownsample'
import { heatmapOption } from '../../../../renderer/src/features/compare/charts/heatmapOption'

describe('downsampleHeatmap', () => {
  it('averages blocks of times and bins, keeping each block’s last time', () => {
    // 4 times × 4 bins, values = row·10 + bin; halved both ways.
    const values = [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33]
    const h = downsampleHeatmap({ t: [1, 2, 3, 4], rankBins: 4, tiers: [4, 7], values }, 2, 2)
    expect(h.t).toEqual([2, 4])
    expect(h.rankBins).toBe(2)
    // Block (rows 0–1, bins 0–1): (0 + 1 + 10 + 11) ÷ 4 = 5.5; (rows 2–3, bins 2–3): (22+23+32+33) ÷ 4 = 27.5.
    expect(h.values).toEqual([5.5, 7.5, 25.5, 27.5])
    expect(h.tiers).toEqual([4, 7])
  })

  it('keeps an uneven last block and ignores missing cells', () => {
    // 3 times into blocks of 2: rows {0,1} and {2}; row 1 has a NaN.
    const h = downsampleHeatmap(
      { t: [1, 2, 3], rankBins: 1, tiers: [0], values: [2, Number.NaN, 5] },
      2,
      1,
    )
    expect(h.t).toEqual([2, 3])
    expect(h.values).toEqual([2, 5])
  })

  it('returns small heatmaps unchanged, and the chart draws at most 160 × 32 cells', () => {
    const small = { t: [1], rankBins: 2, tiers: [0], values: [0, 1] }
    expect(downsampleHeatmap(small, 10, 10)).toBe(small)
    const big = {
      t: Array.from({ length: 2000 }, (_, i) => i),
      rankBins: 64,
      tiers: [4, 7],
      values: new Array(2000 * 64).fill(0.5),
    }
    const data = (heatmapOption(big, 'x').series as Array<{ data: unknown[] }>)[0].data
    // ceil(2000 ÷ 160) = 13 rows per block → ceil(2000 ÷ 13) = 154 columns; 64 ÷ 32 = 2 → 32 bins.
    expect(data).toHaveLength(154 * 32)
  })
})
