import { describe, expect, it } from 'vitest'
import { bucketOf, bucketsByCell } from '../../../../../main/engine/sim/hotness-order'
import { createRng } from '../../../../../main/engine/rng'

/** Buckets frame by frame, the definition the cell cache must reproduce. */
function direct(weight: Float32Array, logMax: number): [Uint16Array, Float64Array] {
  const bucket = new Uint16Array(weight.length)
  const count = new Float64Array(4097)
  for (let f = 0; f < weight.length; f++) {
    bucket[f] = bucketOf(weight[f], logMax)
    count[bucket[f]]++
  }
  return [bucket, count]
}

function cached(weight: Float32Array, logMax: number): [Uint16Array, Float64Array] {
  const bucket = new Uint16Array(weight.length)
  const count = new Float64Array(4097)
  bucketsByCell(weight, logMax, bucket, count)
  return [bucket, count]
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i
  return -1
}

describe('hotness order: log-weight buckets through the float32 cell cache', () => {
  it('gives every frame the bucket its own log2 gives', () => {
    const rng = createRng(3)
    const n = 100_000
    const kinds: Record<string, (i: number) => number> = {
      zipf: (i) => 1e7 * Math.pow(i + 1, -0.99),
      // Spread over every exponent a float32 has, zeros and subnormals included.
      anyExponent: () => (rng.next() < 0.01 ? 0 : Math.pow(2, 255 * rng.next() - 150)),
      // Clustered right at bucket boundaries of the heaviest weight (2^(k/32) steps).
      boundaries: (i) =>
        1000 * Math.pow(2, -Math.floor(i / 7) / 32) * (1 + (rng.next() - 0.5) * 1e-6),
      uniform: () => 4.25,
    }
    for (const [kind, gen] of Object.entries(kinds)) {
      const weight = Float32Array.from({ length: n }, (_, i) => gen(i))
      let maxW = 0
      for (const x of weight) if (x > maxW) maxW = x
      const logMax = Math.log2(maxW)
      const [b1, c1] = direct(weight, logMax)
      const [b2, c2] = cached(weight, logMax)
      expect(firstDifference(b2, b1), kind).toBe(-1)
      expect(firstDifference(c2, c1), kind).toBe(-1)
    }
  })
})
