import { describe, expect, it } from 'vitest'
import type { Pattern } from '../../../../../shared/formats/workload'
import { patternSchema } from '../../../../../shared/formats/workload'
import { Rng } from '../../../../../main/engine/rng'
import {
  basePageOfRank,
  compileWorkload,
  cumulativeMass,
  hotnessCurve,
  rankProbability,
  sampleFrame,
  sampleRank,
  windowFramesAt,
  windowShift,
  type CompiledAccess,
} from '../../../../../main/engine/workload'
import { harmonic } from '../../../../../main/engine/workload/zipf'
import { chiSquare, gibForFrames, simpleWorkload } from './helpers'

function access(pattern: unknown): CompiledAccess {
  const p: Pattern = patternSchema.parse(pattern)
  return {
    region: 0,
    share: 1,
    pattern: p,
    order: p.kind === 'moving-window' || p.kind === 'scan' ? 'address' : 'rank',
    cache: { positions: -1, zipfNorm: 0, hotPositions: 0, sampler: null },
    scanCursor: 0,
  }
}

function probs(a: CompiledAccess, n: number, tS = 0): number[] {
  return Array.from({ length: n }, (_, r) => rankProbability(a, r, n, tS))
}

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0)

describe('rankProbability', () => {
  it('uniform and scan spread evenly', () => {
    expect(rankProbability(access({ kind: 'uniform' }), 3, 8, 0)).toBe(1 / 8)
    expect(rankProbability(access({ kind: 'scan' }), 7, 8, 0)).toBe(1 / 8)
    expect(rankProbability(access({ kind: 'uniform' }), 8, 8, 0)).toBe(0)
  })

  it('zipf follows (r+1)^-s over H(n, s)', () => {
    const a = access({ kind: 'zipf', s: 1 })
    // n = 4: H = 25/12, so p(0) = 12/25 and p(3) = (1/4)/(25/12) = 3/25.
    expect(rankProbability(a, 0, 4, 0)).toBeCloseTo(12 / 25, 14)
    expect(rankProbability(a, 3, 4, 0)).toBeCloseTo(3 / 25, 14)
    expect(sum(probs(access({ kind: 'zipf', s: 0.99 }), 5000))).toBeCloseTo(1, 10)
  })

  it('hotset gives the hot fraction its probability, uniformly, and sums to 1', () => {
    const a = access({ kind: 'hotset', hotFraction: 0.1, hotProbability: 0.9 })
    // n = 1000: 100 hot frames share 0.9 (0.009 each), 900 cold share 0.1 (1/9000 each).
    expect(rankProbability(a, 0, 1000, 0)).toBeCloseTo(0.009, 15)
    expect(rankProbability(a, 99, 1000, 0)).toBeCloseTo(0.009, 15)
    expect(rankProbability(a, 100, 1000, 0)).toBeCloseTo(1 / 9000, 15)
    expect(sum(probs(a, 1000))).toBeCloseTo(1, 12)
    // Odd sizes: round(0.1 × 37) = 4 hot frames.
    expect(rankProbability(a, 3, 37, 0)).toBeCloseTo(0.9 / 4, 15)
    expect(sum(probs(a, 37))).toBeCloseTo(1, 12)
    // A hot part covering the whole region is uniform.
    expect(
      rankProbability(access({ kind: 'hotset', hotFraction: 1, hotProbability: 0.3 }), 5, 10, 0),
    ).toBe(0.1)
  })

  it('moving-window wraps around the end of the region', () => {
    const a = access({
      kind: 'moving-window',
      widthFraction: 0.2,
      periodS: 10,
      windowProbability: 0.8,
    })
    // n = 100, t = 9.5 s: frac = 0.95, start = 95, width 20 → frames 95..99 and 0..14.
    expect(windowFramesAt(a, 100, 9.5)).toEqual({ start: 95, width: 20 })
    const inP = 0.8 / 20 + 0.2 / 100
    const outP = 0.2 / 100
    expect(rankProbability(a, 95, 100, 9.5)).toBeCloseTo(inP, 15)
    expect(rankProbability(a, 0, 100, 9.5)).toBeCloseTo(inP, 15)
    expect(rankProbability(a, 14, 100, 9.5)).toBeCloseTo(inP, 15)
    expect(rankProbability(a, 15, 100, 9.5)).toBeCloseTo(outP, 15)
    expect(rankProbability(a, 94, 100, 9.5)).toBeCloseTo(outP, 15)
    expect(sum(probs(a, 100, 9.5))).toBeCloseTo(1, 12)
    // Period wrap: t = 10 s is the start again; t = 12.5 s is a quarter sweep (start 25).
    expect(windowFramesAt(a, 100, 10).start).toBe(0)
    expect(windowFramesAt(a, 100, 12.5).start).toBe(25)
  })

  it('windowShift names the frames that leave and enter, across the wrap', () => {
    const a = access({ kind: 'moving-window', widthFraction: 0.2, periodS: 10 })
    // t 1 → 1.5 s: start 10 → 15; frames 10..14 leave, 30..34 enter.
    expect(windowShift(a, 100, 1, 1.5)).toEqual({
      leaving: { start: 10, count: 5 },
      entering: { start: 30, count: 5 },
    })
    // t 9.9 → 10.2 s: start 99 → 2 (one sweep): 3 frames move; 99,0,1 leave; 19,20,21 enter.
    expect(windowShift(a, 100, 9.9, 10.2)).toEqual({
      leaving: { start: 99, count: 3 },
      entering: { start: 19, count: 3 },
    })
    // A jump of a whole width or more replaces the window.
    expect(windowShift(a, 100, 0, 5)).toEqual({
      leaving: { start: 0, count: 20 },
      entering: { start: 50, count: 20 },
    })
    expect(windowShift(a, 100, 3, 3).leaving.count).toBe(0)
  })
})

describe('cumulativeMass', () => {
  it('matches the running sum of rankProbability for rank-ordered patterns', () => {
    for (const pat of [
      { kind: 'zipf', s: 0.8 },
      { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.7 },
      { kind: 'uniform' },
    ]) {
      const a = access(pat)
      const p = probs(a, 200)
      let run = 0
      for (let k = 1; k <= 200; k++) {
        run += p[k - 1]
        expect(cumulativeMass(a, k, 200)).toBeCloseTo(run, 12)
      }
    }
  })
})

describe('sampleRank', () => {
  // chi-square critical values at P = 0.001: 49 df → 85.35, 19 df → 43.82.
  function counts(a: CompiledAccess, n: number, draws: number, seed: number, tS = 0): number[] {
    const rng = new Rng(seed)
    const c = new Array(n).fill(0)
    for (let i = 0; i < draws; i++) c[sampleRank(a, n, rng, tS)]++
    return c
  }

  it('zipf draws match rankProbability (chi-square, fixed seed)', () => {
    for (const s of [0.5, 0.99, 1, 1.5]) {
      const a = access({ kind: 'zipf', s })
      const draws = 200_000
      const obs = counts(a, 50, draws, 1)
      const exp = probs(a, 50).map((p) => p * draws)
      expect(chiSquare(obs, exp), `s=${s}`).toBeLessThan(85.35)
    }
  })

  it('zipf draws stay in range for a large region', () => {
    const a = access({ kind: 'zipf', s: 0.99 })
    const rng = new Rng(2)
    const n = 4 * 1024 * 1024
    let top = 0
    let bad = 0
    for (let i = 0; i < 100_000; i++) {
      const r = sampleRank(a, n, rng, 0)
      if (r < 0 || r >= n || !Number.isInteger(r)) bad++
      if (r === 0) top++
    }
    expect(bad).toBe(0)
    // p(0) = 1/H(4Mi, 0.99) ≈ 1/15.7 ≈ 0.064 → about 6400 of 1e5, sd ≈ 77.
    const expected = 100_000 / harmonic(n, 0.99)
    expect(Math.abs(top - expected)).toBeLessThan(5 * Math.sqrt(expected))
  })

  it('hotset, moving-window and uniform draws match rankProbability', () => {
    const cases: Array<[unknown, number]> = [
      [{ kind: 'hotset', hotFraction: 0.1, hotProbability: 0.9 }, 0],
      [{ kind: 'moving-window', widthFraction: 0.25, periodS: 8, windowProbability: 0.7 }, 7],
      [{ kind: 'uniform' }, 0],
    ]
    for (const [pat, tS] of cases) {
      const a = access(pat)
      const draws = 100_000
      const obs = counts(a, 20, draws, 3, tS)
      const exp = probs(a, 20, tS).map((p) => p * draws)
      expect(chiSquare(obs, exp), JSON.stringify(pat)).toBeLessThan(43.82)
    }
  })

  it('scan returns consecutive addresses and wraps', () => {
    const a = access({ kind: 'scan' })
    const rng = new Rng(1)
    expect(Array.from({ length: 7 }, () => sampleRank(a, 5, rng, 0))).toEqual([0, 1, 2, 3, 4, 0, 1])
  })

  it('sampleFrame maps ranks through the region permutation', () => {
    const w = simpleWorkload([
      { id: 'a', sizeGiB: gibForFrames(10), pattern: { kind: 'uniform' }, share: 0.5 },
      { id: 'b', sizeGiB: gibForFrames(64), pattern: { kind: 'zipf', s: 3 }, share: 0.5 },
    ])
    const c = compileWorkload(w, 4096, 4)
    const zipfAccess = c.processes[0].phases[0].accesses[1]
    const rng = new Rng(9)
    let hottest = 0
    for (let i = 0; i < 10_000; i++)
      if (sampleFrame(c, zipfAccess, rng, 0) === 10 + basePageOfRank(c, c.regions[1], 0)) hottest++
    // s = 3: p(0) = 1/H(64, 3) ≈ 1/1.2019 ≈ 0.832 → ≈ 8320 of 10^4, sd ≈ 37.
    expect(Math.abs(hottest - 10_000 / harmonic(64, 3))).toBeLessThan(200)
  })
})

describe('hotnessCurve', () => {
  it('is the diagonal for uniform access and has the hot-set knee', () => {
    const u = compileWorkload(
      simpleWorkload([
        { id: 'a', sizeGiB: gibForFrames(1000), pattern: { kind: 'uniform' }, share: 1 },
      ]),
      4096,
      1,
    )
    const xs = [0, 0.1, 0.5, 1]
    hotnessCurve(u, 0, 0, xs).forEach((y, i) => expect(y).toBeCloseTo(xs[i], 12))
    const h = compileWorkload(
      simpleWorkload([
        {
          id: 'a',
          sizeGiB: gibForFrames(1000),
          pattern: { kind: 'hotset', hotFraction: 0.1, hotProbability: 0.9 },
          share: 1,
        },
      ]),
      4096,
      1,
    )
    // Hottest 10 % get 0.9; hottest 5 % get half of that; 55 % add 0.1 × 450/900.
    const [a, b, c] = hotnessCurve(h, 0, 0, [0.05, 0.1, 0.55])
    expect(a).toBeCloseTo(0.45, 12)
    expect(b).toBeCloseTo(0.9, 12)
    expect(c).toBeCloseTo(0.95, 12)
  })

  it('follows the zipf partial sums and merges regions by density', () => {
    const n = 100_000
    const c = compileWorkload(
      simpleWorkload([
        { id: 'z', sizeGiB: gibForFrames(n), pattern: { kind: 'zipf', s: 0.99 }, share: 0.5 },
        { id: 'u', sizeGiB: gibForFrames(n), pattern: { kind: 'uniform' }, share: 0.5 },
      ]),
      4096,
      1,
    )
    // x = 0.005 of 200000 frames = 1000 frames, all zipf (its rank-999 density 0.5·1000^-0.99/H
    // beats the uniform 0.5/1e5): share = 0.5 · H(1000)/H(1e5).
    const [y] = hotnessCurve(c, 0, 0, [0.005])
    const expected = (0.5 * harmonic(1000, 0.99)) / harmonic(n, 0.99)
    expect(Math.abs(y - expected) / expected).toBeLessThan(0.005)
    expect(hotnessCurve(c, 0, 0, [1])[0]).toBeCloseTo(1, 12)
  })
})
