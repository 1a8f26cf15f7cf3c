import type { HeatmapData } from '../../../../../shared/runs'

/**
 * Averages a placement heatmap down to at most `maxTimes` time columns and `maxBins` rank bins, so
 * a 2,000-sample run draws a few thousand cells instead of 128,000 (a chart is ~600 px wide, so
 * more columns cannot be seen anyway). Each new cell is the mean of the cells it covers; each new
 * time is the last time it covers. Smaller heatmaps come back unchanged.
 */
export function downsampleHeatmap(h: HeatmapData, maxTimes: number, maxBins: number): HeatmapData {
  const timeStep = Math.max(1, Math.ceil(h.t.length / maxTimes))
  const binStep = Math.max(1, Math.ceil(h.rankBins / maxBins))
  if (timeStep === 1 && binStep === 1) return h
  const rows = Math.ceil(h.t.length / timeStep)
  const bins = Math.ceil(h.rankBins / binStep)
  const t: number[] = []
  const values: number[] = []
  for (let r = 0; r < rows; r++) {
    const r0 = r * timeStep
    const r1 = Math.min(h.t.length, r0 + timeStep)
    t.push(h.t[r1 - 1])
    for (let b = 0; b < bins; b++) {
      const b0 = b * binStep
      const b1 = Math.min(h.rankBins, b0 + binStep)
      let sum = 0
      let n = 0
      for (let i = r0; i < r1; i++)
        for (let j = b0; j < b1; j++) {
          const v = h.values[i * h.rankBins + j]
          if (Number.isFinite(v)) {
            sum += v
            n++
          }
        }
      values.push(n > 0 ? sum / n : Number.NaN)
    }
  }
  return { t, rankBins: bins, tiers: h.tiers, values }
}
