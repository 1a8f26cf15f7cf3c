import type { MetricBetter } from '../../../shared/metrics/catalogue'
import type { SeriesData } from '../../../shared/runs'
import { bucketSize, decimateMeans } from './decimate'

/**
 * Per-epoch metric values, kept whole during the run (a few Float64Arrays of one value per epoch)
 * and decimated to at most MAX_POINTS bucket means at the end; x is simulated time in s (the mean
 * of the bucket's epoch end times).
 */
export class SeriesRecorder {
  private readonly values: Float64Array[] = []
  private readonly meta: Array<{
    key: string
    label: string
    unit: string
    better?: MetricBetter
  }> = []
  private readonly index = new Map<string, number>()
  private count = 0

  constructor(
    private readonly epochs: number,
    private readonly epochS: number,
  ) {}

  /**
   * A series by key (shared/metrics/catalogue.ts names the engine's own; a policy's are
   * `policy.<name>`). `better` only for a policy series that knows its direction; the catalogue
   * gives the engine's.
   */
  define(key: string, label: string, unit: string, better?: MetricBetter): number {
    const existing = this.index.get(key)
    if (existing !== undefined) return existing
    const id = this.meta.length
    this.meta.push(better ? { key, label, unit, better } : { key, label, unit })
    this.values.push(new Float64Array(this.epochs))
    this.index.set(key, id)
    return id
  }

  set(id: number, value: number): void {
    this.values[id][this.count] = Number.isFinite(value) ? value : 0
  }

  /** Closes the current epoch's row. */
  next(): void {
    this.count++
  }

  get recorded(): number {
    return this.count
  }

  raw(key: string): Float64Array {
    const id = this.index.get(key)
    if (id === undefined) throw new Error(`no series ${key}`)
    return this.values[id].subarray(0, this.count)
  }

  build(): SeriesData[] {
    const size = bucketSize(this.count)
    const ends = new Float64Array(this.count)
    for (let e = 0; e < this.count; e++) ends[e] = (e + 1) * this.epochS
    const t = decimateMeans(ends, this.count, size)
    return this.meta.map((m, i) => ({
      ...m,
      t,
      values: decimateMeans(this.values[i], this.count, size),
    }))
  }
}

/** 12 significant digits: stable JSON across platforms without losing anything a chart shows. */
export function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(12)) : 0
}
