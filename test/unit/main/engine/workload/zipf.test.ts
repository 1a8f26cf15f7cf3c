import { describe, expect, it } from 'vitest'
import { harmonic, ZIPF_EXACT_MAX_TERMS } from '../../../../../main/engine/workload/zipf'

function exactSum(n: number, s: number): number {
  let sum = 0
  for (let j = n; j >= 1; j--) sum += Math.pow(j, -s)
  return sum
}

describe('harmonic (zipf normaliser)', () => {
  it('is the exact sum for small n', () => {
    // H(4, 1) = 1 + 1/2 + 1/3 + 1/4 = 25/12; H(3, 2) = 1 + 1/4 + 1/9 = 49/36.
    expect(harmonic(4, 1)).toBeCloseTo(25 / 12, 14)
    expect(harmonic(3, 2)).toBeCloseTo(49 / 36, 14)
    // s = 0 counts the terms; k = 0 is the empty sum.
    expect(harmonic(12345, 0)).toBe(12345)
    expect(harmonic(0, 1)).toBe(0)
  })

  it('matches the exact sum above the exact bound (Euler–Maclaurin) to 1e-11 relative', () => {
    const sizes = [ZIPF_EXACT_MAX_TERMS + 1, 5000, 100_000, 1_000_000]
    for (const n of sizes)
      for (const s of [0.3, 0.5, 0.99, 1, 1.01, 1.2, 2, 3.5, 5]) {
        const exact = exactSum(n, s)
        expect(Math.abs(harmonic(n, s) - exact) / exact, `n=${n} s=${s}`).toBeLessThan(1e-11)
      }
  })

  it('approaches ln n + γ for s = 1 at large n', () => {
    // H(n,1) = ln n + 0.5772156649 + 1/(2n) − …; at n = 2^30 the 1/(2n) term is 5e-10.
    const n = 2 ** 30
    expect(harmonic(n, 1)).toBeCloseTo(Math.log(n) + 0.5772156649015329, 8)
  })
})
