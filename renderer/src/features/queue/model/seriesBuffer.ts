/**
 * A bounded buffer of live samples that keeps the whole run in view: when it is full, every other
 * point is dropped and from then on only every `stride`-th incoming point is kept, so memory stays
 * at `capacity` points per series however long the run is, and the points stay evenly spaced.
 */
export interface SeriesBuffer {
  readonly capacity: number
  readonly keys: readonly string[]
  /** Simulated time of each kept point, s. */
  t: number[]
  values: Record<string, number[]>
  /** Keep one incoming point in `stride`. */
  stride: number
  /** Points offered so far (kept or not). */
  seen: number
}

export function createSeriesBuffer(capacity: number, keys: readonly string[]): SeriesBuffer {
  if (capacity < 2 || capacity % 2 !== 0)
    throw new RangeError(`capacity must be an even number of at least 2, got ${capacity}`)
  return {
    capacity,
    keys,
    t: [],
    values: Object.fromEntries(keys.map((k) => [k, []])),
    stride: 1,
    seen: 0,
  }
}

/** Offers one sample; a key missing from `sample` is stored as NaN (a gap in the chart). */
export function pushSample(buf: SeriesBuffer, tS: number, sample: Record<string, number>): void {
  const index = buf.seen++
  if (index % buf.stride !== 0) return
  if (buf.t.length >= buf.capacity) {
    buf.t = everyOther(buf.t)
    for (const k of buf.keys) buf.values[k] = everyOther(buf.values[k])
    buf.stride *= 2
    if (index % buf.stride !== 0) return
  }
  buf.t.push(tS)
  for (const k of buf.keys) buf.values[k].push(sample[k] ?? Number.NaN)
}

function everyOther(xs: number[]): number[] {
  const out: number[] = []
  for (let i = 0; i < xs.length; i += 2) out.push(xs[i])
  return out
}
