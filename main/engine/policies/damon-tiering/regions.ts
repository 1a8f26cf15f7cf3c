import type { Rng } from '../../rng'

/**
 * DAMON's region-based sampling and adaptive regions (mm/damon/core.c) [DAMON-C][DAMON-D], over
 * the workload's address space: frames [start, end) of one workload region each (the gaps between
 * mappings are never crossed, as the vaddr operations set keeps them apart).
 *
 * Every sample interval one random frame per region is checked for access (its accessed bit was
 * cleared when it was picked, one sample earlier); a referenced frame adds one to the region's
 * nr_accesses. Every aggregation interval: regions whose nr_accesses moved by more than the
 * threshold get age 0 (others age by one); adjacent regions whose nr_accesses differ by at most
 * the threshold merge if the result stays under total ÷ min_nr_regions (the threshold doubles
 * while there are more than max_nr_regions); the schemes act; nr_accesses is kept as
 * last_nr_accesses and reset; then, unless there are more than max_nr_regions / 2, each region
 * splits into two (three when the count did not change and stays under max / 3) at random
 * points between 10 % and 90 % of its size.
 */
export interface DamonRegion {
  /** First frame. */
  start: number
  /** One past the last frame. */
  end: number
  /** Workload region (mapping) the region lies in. */
  mapping: number
  nrAccesses: number
  lastNrAccesses: number
  /** Aggregation intervals the access frequency stayed about the same. */
  age: number
  /** The frame whose accessed bit was cleared at the last sample (-1: none yet). */
  sampled: number
}

export interface Mapping {
  frameStart: number
  frameCount: number
}

/** The access check of one frame: referenced since its bit was last cleared; clears it. */
export type AccessCheck = (frame: number) => boolean

export class DamonRegions {
  regions: DamonRegion[] = []
  private lastCount = 0
  private readonly totalFrames: number

  constructor(
    mappings: readonly Mapping[],
    private readonly minRegions: number,
    private readonly maxRegions: number,
    private readonly rng: Rng,
  ) {
    this.totalFrames = mappings.reduce((s, m) => s + m.frameCount, 0)
    // Initial regions: min_nr_regions spread over the mappings by size, at least one each.
    mappings.forEach((m, mapping) => {
      if (m.frameCount <= 0) return
      const pieces = Math.max(
        1,
        Math.min(m.frameCount, Math.round((minRegions * m.frameCount) / this.totalFrames)),
      )
      for (let i = 0; i < pieces; i++) {
        const start = m.frameStart + Math.floor((i * m.frameCount) / pieces)
        const end = m.frameStart + Math.floor(((i + 1) * m.frameCount) / pieces)
        if (end > start)
          this.regions.push({
            start,
            end,
            mapping,
            nrAccesses: 0,
            lastNrAccesses: 0,
            age: 0,
            sampled: -1,
          })
      }
    })
    this.lastCount = this.regions.length
  }

  /**
   * One sample: each region's previously picked frame is checked (referenced → nr_accesses + 1)
   * and a new random frame is picked and its bit cleared (`prepare`). Returns the checks made.
   */
  sample(check: AccessCheck): number {
    let checks = 0
    for (const r of this.regions) {
      if (r.sampled >= 0) {
        if (check(r.sampled)) r.nrAccesses++
        checks++
      }
      r.sampled = r.start + this.rng.nextInt(r.end - r.start)
      check(r.sampled)
      checks++
    }
    return checks
  }

  /** Merge step of the aggregation (kdamond_merge_regions). */
  merge(maxNrAccesses: number): void {
    const szLimit = Math.max(1, Math.floor(this.totalFrames / this.minRegions))
    let thres = Math.max(1, Math.floor(maxNrAccesses / 10))
    for (;;) {
      this.mergeOnce(thres, szLimit)
      if (this.regions.length <= this.maxRegions || thres >= maxNrAccesses) break
      thres *= 2
    }
  }

  private mergeOnce(thres: number, szLimit: number): void {
    const out: DamonRegion[] = []
    let prev: DamonRegion | null = null
    for (const r of this.regions) {
      const moved = Math.abs(r.nrAccesses - r.lastNrAccesses) > thres
      const woke = (r.nrAccesses === 0) !== (r.lastNrAccesses === 0)
      r.age = moved || woke ? 0 : r.age + 1
      if (
        prev &&
        prev.end === r.start &&
        prev.mapping === r.mapping &&
        Math.abs(prev.nrAccesses - r.nrAccesses) <= thres &&
        prev.end - prev.start + (r.end - r.start) <= szLimit
      ) {
        // damon_merge_two_regions: size-weighted nr_accesses and age.
        const a = prev.end - prev.start
        const b = r.end - r.start
        prev.nrAccesses = Math.floor((prev.nrAccesses * a + r.nrAccesses * b) / (a + b))
        prev.lastNrAccesses = Math.floor((prev.lastNrAccesses * a + r.lastNrAccesses * b) / (a + b))
        prev.age = Math.floor((prev.age * a + r.age * b) / (a + b))
        prev.end = r.end
        continue
      }
      out.push(r)
      prev = r
    }
    this.regions = out
  }

  /** kdamond_reset_aggregated: this interval's count becomes the last one. */
  resetAggregated(): void {
    for (const r of this.regions) {
      r.lastNrAccesses = r.nrAccesses
      r.nrAccesses = 0
    }
  }

  /** Split step (kdamond_split_regions). */
  split(): void {
    const n = this.regions.length
    if (n > this.maxRegions / 2) {
      this.lastCount = n
      return
    }
    const subs = this.lastCount === n && n < this.maxRegions / 3 ? 3 : 2
    const out: DamonRegion[] = []
    for (const r of this.regions) {
      // Split the left part again and again: the right parts follow in address order.
      const rights: DamonRegion[] = []
      let size = r.end - r.start
      for (let i = 0; i < subs - 1 && size > 2; i++) {
        const left = Math.floor(((1 + this.rng.nextInt(9)) * size) / 10)
        if (left === 0 || left >= size) continue
        rights.unshift({ ...r, start: r.start + left })
        r.end = r.start + left
        size = left
      }
      // The frame picked at the last sample stays with the part that holds it.
      for (const p of [r, ...rights]) if (p.sampled < p.start || p.sampled >= p.end) p.sampled = -1
      out.push(r, ...rights)
    }
    this.regions = out
    this.lastCount = n
  }

  /** Size-weighted mean of the last aggregated nr_accesses. */
  meanLastNrAccesses(): number {
    let sum = 0
    let frames = 0
    for (const r of this.regions) {
      sum += r.lastNrAccesses * (r.end - r.start)
      frames += r.end - r.start
    }
    return frames > 0 ? sum / frames : 0
  }
}
