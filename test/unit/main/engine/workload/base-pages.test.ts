import { describe, expect, it } from 'vitest'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { Rng } from '../../../../../main/engine/rng'
import {
  baseRankOf,
  compileWorkload,
  frameAtWalk,
  frameBaseMasses,
  frameMass,
  frameProbability,
  rangeMass,
  rankProbability,
  sampleFrame,
} from '../../../../../main/engine/workload'
import { harmonic, zipfRangeSum } from '../../../../../main/engine/workload/zipf'
import { shuffleDraws } from '../../../../../main/engine/workload/base-pages'
import { simpleWorkload } from './helpers'

const MIB2 = 2 * 1024 * 1024
/** 64 MiB: 16384 base pages, 32 huge pages. */
const GIB_64M = 1 / 16

describe('zipfRangeSum', () => {
  it('equals the term-by-term sum, short and long runs, any start', () => {
    for (const s of [0.6, 0.99, 1, 1.3, 2.5])
      for (const [a, b] of [
        [0, 1],
        [0, 512],
        [3, 40],
        [15, 17],
        [511, 1024],
        [1000, 5000],
        [123_456, 123_968],
        [1_000_000, 1_600_000],
      ]) {
        // Smallest terms first; a difference of harmonic numbers would cancel far above 1e-11.
        let want = 0
        for (let j = b; j > a; j--) want += Math.pow(j, -s)
        expect(Math.abs(zipfRangeSum(a, b, s) - want) / want).toBeLessThan(1e-11)
      }
    expect(zipfRangeSum(0, 5000, 1.2)).toBeCloseTo(harmonic(5000, 1.2), 12)
    expect(zipfRangeSum(5, 5, 1)).toBe(0)
    expect(zipfRangeSum(5, 9, 0)).toBe(4)
  })
})

describe('hotness per 4 KiB base page', () => {
  const patterns = [
    { kind: 'zipf', s: 1.1 },
    { kind: 'zipf', s: 0.8, clusterPages: 1 },
    { kind: 'zipf', s: 1.1, clusterPages: 512 },
    { kind: 'hotset', hotFraction: 0.07, hotProbability: 0.9, clusterPages: 8 },
    { kind: 'moving-window', widthFraction: 0.13, periodS: 3, windowProbability: 0.8 },
    { kind: 'uniform' },
  ] as const

  it('gives a 2 MiB frame the sum of its 512 base pages at 4 KiB, same seed', () => {
    for (const pattern of patterns) {
      // 64 MiB + 1 MiB: the last huge page is half a frame.
      const w = simpleWorkload([{ id: 'a', sizeGiB: GIB_64M + 1 / 1024, pattern, share: 1 }])
      const small = compileWorkload(w, 4096, 7)
      const huge = compileWorkload(w, MIB2, 7)
      expect(huge.regions[0].frameCount).toBe(33)
      let total = 0
      for (let f = 0; f < huge.totalFrames; f++) {
        let sum = 0
        for (let k = f * 512; k < Math.min((f + 1) * 512, small.totalFrames); k++)
          sum += frameProbability(small, 0, k, 1.7)
        const p = frameProbability(huge, 0, f, 1.7)
        expect(Math.abs(p - sum)).toBeLessThan(1e-12)
        total += p
      }
      expect(total).toBeCloseTo(1, 12)
    }
  })

  it('clusterPages keeps runs of consecutive ranks together in the address space', () => {
    const rankRuns = (clusterPages: number) => {
      const w = simpleWorkload([
        { id: 'a', sizeGiB: GIB_64M, pattern: { kind: 'zipf', s: 1, clusterPages }, share: 1 },
      ])
      const c = compileWorkload(w, MIB2, 3)
      const r = c.regions[0]
      // Count breaks in rank continuity along the address space.
      let breaks = 0
      for (let a = 1; a < r.basePages; a++)
        if (baseRankOf(c, r, a) !== baseRankOf(c, r, a - 1) + 1) breaks++
      return breaks
    }
    expect(rankRuns(512)).toBeLessThanOrEqual(31) // only between huge pages
    expect(rankRuns(64)).toBeGreaterThan(200)
    expect(rankRuns(64)).toBeLessThanOrEqual(255)
    expect(rankRuns(1)).toBeGreaterThan(16000)
  })

  it('hot and cold base pages share huge pages unless hot data is packed', () => {
    // A hot set of 1/16 of the region: how many huge pages hold some hot base page?
    const hotFrames = (clusterPages: number) => {
      const w = simpleWorkload([
        {
          id: 'a',
          sizeGiB: 1,
          pattern: { kind: 'hotset', hotFraction: 1 / 16, hotProbability: 0.9, clusterPages },
          share: 1,
        },
      ])
      const c = compileWorkload(w, MIB2, 5)
      const cold = 0.1 / (c.regions[0].basePages * (15 / 16))
      let withHot = 0
      for (let f = 0; f < c.totalFrames; f++)
        if (frameProbability(c, 0, f, 0) > 512 * cold * 1.01) withHot++
      return withHot
    }
    // 512 huge pages: packed, the hot set fills exactly 32 of them.
    expect(hotFrames(512)).toBe(32)
    // Runs of 64 pages: 256 hot runs over 512 huge pages, 8 runs each → about 512·(1−(15/16)^8) ≈ 205.
    expect(hotFrames(64)).toBeGreaterThan(150)
    expect(hotFrames(64)).toBeLessThan(260)
  })

  it('samples a 2 MiB frame as often as its base pages sum to, and walks frames hottest first', () => {
    const w = simpleWorkload([
      { id: 'a', sizeGiB: GIB_64M, pattern: { kind: 'zipf', s: 1.4 }, share: 1 },
    ])
    const c = compileWorkload(w, MIB2, 11)
    const a = c.processes[0].phases[0].accesses[0]
    const r = c.regions[0]
    const rng = new Rng(2)
    const counts = new Float64Array(c.totalFrames)
    const draws = 50_000
    for (let i = 0; i < draws; i++) counts[sampleFrame(c, a, rng, 0)]++
    for (let f = 0; f < c.totalFrames; f++) {
      const p = frameMass(c, a, f, 0)
      expect(Math.abs(counts[f] / draws - p)).toBeLessThan(5 * Math.sqrt(p / draws) + 1e-3)
    }
    // The walk starts at the frame holding rank 0 and visits every frame once.
    const walk = Array.from({ length: r.frameCount }, (_, k) => frameAtWalk(c, r, k))
    expect(new Set(walk).size).toBe(r.frameCount)
    const base0 = Array.from({ length: r.basePages }, (_, p) => p).find(
      (p) => baseRankOf(c, r, p) === 0,
    ) as number
    expect(walk[0]).toBe(Math.floor(base0 / 512))
    // The frame's base-page masses: rank 0's page carries p(0), and they sum to the frame's mass.
    const out = new Float64Array(512)
    expect(frameBaseMasses(c, a, walk[0], 0, out)).toBe(512)
    expect(Math.max(...out)).toBeCloseTo(rankProbability(a, 0, r.basePages, 0), 15)
    const sum = out.reduce((s, x) => s + x, 0)
    expect(Math.abs(sum / frameMass(c, a, walk[0], 0) - 1)).toBeLessThan(1e-11)
  })

  it('rangeMass sums rankProbability over a run for every pattern', () => {
    const w = simpleWorkload(
      patterns.map((pattern, i) => ({ id: `r${i}`, sizeGiB: 1 / 256, pattern, share: 1 / 6 })),
    )
    const c = compileWorkload(w, 4096, 1)
    for (const a of c.processes[0].phases[0].accesses) {
      const n = c.regions[a.region].basePages
      for (const [p0, count] of [
        [0, 1],
        [0, 100],
        [37, 200],
        [900, 124],
        [1000, 50],
      ]) {
        let want = 0
        for (let k = p0; k < Math.min(n, p0 + count); k++) want += rankProbability(a, k, n, 2.2)
        expect(Math.abs(rangeMass(a, p0, count, n, 2.2) - want)).toBeLessThan(1e-12 * want)
      }
    }
  })

  it('refuses a clusterPages that is no power of two up to 512, or that differs within a region', () => {
    const parse = (clusterPages: number) =>
      workloadSchema.safeParse({
        ...simpleWorkload([{ id: 'a', sizeGiB: 1, pattern: { kind: 'uniform' }, share: 1 }]),
        processes: [
          {
            ...simpleWorkload([{ id: 'a', sizeGiB: 1, pattern: { kind: 'uniform' }, share: 1 }])
              .processes[0],
            phases: [
              {
                durationS: 1,
                accesses: [
                  { region: 'a', share: 1, pattern: { kind: 'zipf', s: 1, clusterPages } },
                ],
              },
            ],
          },
        ],
      })
    expect(parse(64).success).toBe(true)
    for (const bad of [0, 3, 1024, 2.5]) {
      const r = parse(bad)
      expect(r.success).toBe(false)
      expect(JSON.stringify(r.error?.issues)).toMatch(/clusterPages|power of two|whole number/)
    }
    const w = simpleWorkload([
      { id: 'a', sizeGiB: 1, pattern: { kind: 'zipf', s: 1, clusterPages: 8 }, share: 1 },
    ])
    w.processes[0].phases[0].accesses.push({
      region: 'a',
      share: 0,
      pattern: { kind: 'hotset', hotFraction: 0.1, hotProbability: 0.5, layout: 'shuffled' },
    })
    expect(() => compileWorkload(w, 4096, 1)).toThrow(
      /region "a".*different clusterPages \(8, 64\)/,
    )
  })
})

describe('layout shuffle draws', () => {
  it('are the draws Rng.shuffleInPlace makes: replayed as swaps they give its permutation', () => {
    for (const n of [0, 1, 2, 5, 4097]) {
      const identity = () => Uint32Array.from({ length: n }, (_, i) => i)
      const [r1, r2] = [new Rng(n), new Rng(n)]
      const want = r1.shuffleInPlace(identity())
      const draws = shuffleDraws(r2, new Uint32Array(n))
      const replay = identity()
      for (let i = n - 1; i > 0; i--) [replay[i], replay[draws[i]]] = [replay[draws[i]], replay[i]]
      expect(replay).toEqual(want)
      expect(r2.nextUint32()).toBe(r1.nextUint32())
    }
  })
})
