/** The sample a time cursor reads: the last one at or before `atS`. */
export interface SampleAt {
  index: number
  tS: number
  value: number
}

/** Binary search over ascending times; null when `atS` is before the first sample. */
export function sampleAt(
  t: readonly number[],
  values: readonly number[],
  atS: number,
): SampleAt | null {
  let lo = 0
  let hi = t.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (t[mid] <= atS) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found < 0 ? null : { index: found, tS: t[found], value: values[found] }
}
