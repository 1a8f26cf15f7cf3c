import { describe, expect, it } from 'vitest'
import { Rng, createRng } from '../../../../../main/engine/rng'

function draws(r: Rng, n: number): number[] {
  return Array.from({ length: n }, () => r.nextUint32())
}

/** Pearson's statistic for observed counts against equal expected counts. */
function chiSquareUniform(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0)
  const e = total / counts.length
  return counts.reduce((acc, c) => acc + ((c - e) * (c - e)) / e, 0)
}

describe('Rng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    expect(draws(new Rng(42), 50)).toEqual(draws(new Rng(42), 50))
    const a = draws(new Rng(42), 50)
    const b = draws(new Rng(43), 50)
    // Two independent 32-bit streams agree on a given draw with probability 2^-32.
    expect(a.filter((x, i) => x === b[i]).length).toBe(0)
  })

  it('normalises odd seeds (negative, fractional, above 2^32) and refuses non-finite ones', () => {
    expect(draws(new Rng(-1), 5)).toEqual(draws(new Rng(-1), 5))
    expect(draws(new Rng(2 ** 40 + 7), 5)).not.toEqual(draws(new Rng(7), 5))
    expect(() => new Rng(Number.NaN)).toThrow(/finite/)
  })

  it('forks streams from the seed, not from the parent state', () => {
    const fresh = new Rng(7)
    const used = new Rng(7)
    draws(used, 1000)
    // Drawing from the parent must not move its children.
    expect(draws(fresh.fork('workload'), 20)).toEqual(draws(used.fork('workload'), 20))
    expect(draws(fresh.fork('workload'), 20)).not.toEqual(draws(fresh.fork('telemetry'), 20))
    // Numeric and string labels are distinct names.
    expect(draws(fresh.fork(1), 20)).not.toEqual(draws(fresh.fork('1'), 20))
    // A child differs from its parent and from the same label under another seed.
    expect(draws(fresh.fork('a'), 20)).not.toEqual(draws(new Rng(7), 20))
    expect(draws(new Rng(8).fork('a'), 20)).not.toEqual(draws(new Rng(7).fork('a'), 20))
  })

  it('next() stays in [0, 1) with mean 1/2', () => {
    const r = createRng(1)
    let sum = 0
    let outside = 0
    const n = 100_000
    for (let i = 0; i < n; i++) {
      const x = r.next()
      if (!(x >= 0 && x < 1)) outside++
      sum += x
    }
    expect(outside).toBe(0)
    // sd of the mean = sqrt(1/12)/sqrt(1e5) ≈ 0.00091; allow 5 sd.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.0046)
  })

  it('nextInt(n) is uniform on 0..n-1 and refuses bad n', () => {
    const r = createRng(2)
    const counts = new Array(7).fill(0)
    for (let i = 0; i < 70_000; i++) counts[r.nextInt(7)]++
    // chi-square, 6 degrees of freedom: P(X > 22.46) = 0.001.
    expect(chiSquareUniform(counts)).toBeLessThan(22.46)
    expect(() => r.nextInt(0)).toThrow(RangeError)
    expect(() => r.nextInt(2.5)).toThrow(RangeError)
  })

  it('exp(rate) has mean 1/rate and normal() mean 0, variance 1', () => {
    const r = createRng(3)
    const n = 100_000
    let s = 0
    for (let i = 0; i < n; i++) s += r.exp(2)
    // mean 0.5, sd of the mean 0.5/sqrt(1e5) ≈ 0.0016; allow 5 sd.
    expect(Math.abs(s / n - 0.5)).toBeLessThan(0.008)
    let m = 0
    let m2 = 0
    for (let i = 0; i < n; i++) {
      const x = r.normal()
      m += x
      m2 += x * x
    }
    // sd of the mean 1/sqrt(1e5) ≈ 0.0032; sd of the variance sqrt(2/1e5) ≈ 0.0045; 5 sd each.
    expect(Math.abs(m / n)).toBeLessThan(0.016)
    expect(Math.abs(m2 / n - (m / n) ** 2 - 1)).toBeLessThan(0.023)
  })

  it('shuffleInPlace permutes, is seeded, and is uniform over permutations', () => {
    const a = createRng(4).shuffleInPlace(Uint32Array.from({ length: 1000 }, (_, i) => i))
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    const b = createRng(4).shuffleInPlace(Uint32Array.from({ length: 1000 }, (_, i) => i))
    expect(a).toEqual(b)
    const r = createRng(5)
    const counts = new Map<string, number>()
    for (let i = 0; i < 60_000; i++) {
      const key = r.shuffleInPlace(Uint32Array.of(0, 1, 2)).join('')
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    expect(counts.size).toBe(6)
    // 6 permutations, 5 degrees of freedom: P(X > 20.52) = 0.001.
    expect(chiSquareUniform([...counts.values()])).toBeLessThan(20.52)
  })

  it('shuffleInPlace draws as nextInt would', () => {
    // nextInt(i + 1) from the end down, swapped: the definition the inlined generator must match.
    for (const n of [0, 1, 2, 5, 4097]) {
      const identity = () => Uint32Array.from({ length: n }, (_, i) => i)
      const [r1, r2] = [createRng(n), createRng(n)]
      const want = identity()
      for (let i = n - 1; i > 0; i--) {
        const j = r1.nextInt(i + 1)
        ;[want[i], want[j]] = [want[j], want[i]]
      }
      expect(r2.shuffleInPlace(identity())).toEqual(want)
      // Both streams are left in the same state.
      expect(r2.nextUint32()).toBe(r1.nextUint32())
    }
  })
})
