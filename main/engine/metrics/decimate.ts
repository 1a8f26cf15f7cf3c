/** Series and heatmaps keep at most this many points / rows (DESIGN.md §6). */
export const MAX_POINTS = 2000

/** Epochs per bucket so that `epochs` fit in MAX_POINTS buckets. */
export function bucketSize(epochs: number, maxPoints = MAX_POINTS): number {
  return Math.max(1, Math.ceil(epochs / maxPoints))
}

/** Means over consecutive buckets of `size` values (the last bucket may be shorter). */
export function decimateMeans(values: ArrayLike<number>, count: number, size: number): number[] {
  const out: number[] = []
  for (let i = 0; i < count; i += size) {
    const end = Math.min(count, i + size)
    let s = 0
    for (let k = i; k < end; k++) s += values[k]
    out.push(s / (end - i))
  }
  return out
}
