import type { HeatmapData } from '../../../shared/runs'
import { bucketSize } from './decimate'

/**
 * Placement heatmap (shared/runs.ts): rows are time buckets, columns hotness bins (0 = hottest),
 * each cell the mean tier ordinal of the bin's allocated frames, averaged over the bucket's
 * epochs. The engine keeps per-bin sums incrementally, so a row costs O(bins).
 */
export class HeatmapRecorder {
  private readonly size: number
  private readonly acc: Float64Array
  private inBucket = 0
  private tSum = 0
  private readonly rows: number[] = []
  private readonly t: number[] = []

  constructor(
    epochs: number,
    private readonly bins: number,
    private readonly tiers: number[],
  ) {
    this.size = bucketSize(epochs)
    this.acc = new Float64Array(bins)
  }

  add(tS: number, binTierSum: Float64Array, binCount: Float64Array): void {
    for (let b = 0; b < this.bins; b++)
      this.acc[b] += binCount[b] > 0 ? binTierSum[b] / binCount[b] : 0
    this.tSum += tS
    if (++this.inBucket === this.size) this.flush()
  }

  private flush(): void {
    if (this.inBucket === 0) return
    for (let b = 0; b < this.bins; b++) this.rows.push(this.acc[b] / this.inBucket)
    this.t.push(this.tSum / this.inBucket)
    this.acc.fill(0)
    this.tSum = 0
    this.inBucket = 0
  }

  build(): HeatmapData {
    this.flush()
    return { t: this.t, rankBins: this.bins, tiers: this.tiers, values: this.rows }
  }
}
