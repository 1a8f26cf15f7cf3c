import { describe, expect, it } from 'vitest'
import { workloadSchema } from '../../../../../shared/formats/workload'
import {
  addFrameProbabilities,
  checkWorkloadShape,
  compileWorkload,
  MAX_FRAMES,
  frameProbability,
  phaseIndexAt,
  regionOfFrame,
} from '../../../../../main/engine/workload'
import {
  basePageOfRank,
  baseRankOf,
  blockOfRankOf,
  DEFAULT_CLUSTER_PAGES,
} from '../../../../../main/engine/workload/base-pages'
import { Rng } from '../../../../../main/engine/rng'
import type { CompiledWorkload } from '../../../../../main/engine/workload'
import { gibForFrames, simpleWorkload } from './helpers'

/** One base page per cluster: the layout is a permutation of single 4 KiB pages. */
const zipf = { kind: 'zipf' as const, s: 0.99, clusterPages: 1 }

/** Rank of every base page of region ri, address order. */
function ranksOf(c: CompiledWorkload, ri: number): number[] {
  const r = c.regions[ri]
  return Array.from({ length: r.basePages }, (_, a) => baseRankOf(c, r, a))
}

describe('compileWorkload', () => {
  it('lays regions out as consecutive frame ranges for the page size', () => {
    const w = simpleWorkload([
      { id: 'a', sizeGiB: 1, pattern: zipf, share: 0.5 },
      { id: 'b', sizeGiB: 3, pattern: { kind: 'uniform' }, share: 0.5 },
    ])
    const c4k = compileWorkload(w, 4096, 1)
    // 1 GiB / 4 KiB = 262144 frames; 3 GiB = 786432.
    expect(c4k.regions.map((r) => [r.frameStart, r.frameCount])).toEqual([
      [0, 262144],
      [262144, 786432],
    ])
    expect(c4k.totalFrames).toBe(1048576)
    const c2m = compileWorkload(w, 2 * 1024 * 1024, 1)
    // 1 GiB / 2 MiB = 512 frames; 3 GiB = 1536.
    expect(c2m.regions.map((r) => r.frameCount)).toEqual([512, 1536])
    expect(c2m.regions[0].bytes).toBe(2 ** 30)
    expect(c2m.regions[0].allocationRateBytesPerS).toBeNull()
    expect(regionOfFrame(c2m, 511)).toBe(0)
    expect(regionOfFrame(c2m, 512)).toBe(1)
    expect(regionOfFrame(c2m, 2047)).toBe(1)
  })

  it('rounds partial pages up and converts allocation rates to bytes per second', () => {
    const w = workloadSchema.parse({
      format: 'tierlab.workload/v1',
      name: 'rate',
      regions: [{ id: 'r', sizeGiB: 1.5, firstTouch: 'p', allocation: { rateGBps: 2 } }],
      processes: [
        {
          id: 'p',
          initiator: 's0',
          threads: 1,
          computeNsPerOp: 1,
          accessesPerOp: 1,
          mlp: 1,
          writeFraction: 0,
          phases: [
            { durationS: 5, accesses: [{ region: 'r', share: 1, pattern: { kind: 'uniform' } }] },
            { durationS: 7, accesses: [{ region: 'r', share: 1, pattern: { kind: 'scan' } }] },
          ],
        },
      ],
    })
    // 1.5 GiB over 1 GiB pages = 2 frames (rounded up).
    const c = compileWorkload(w, 2 ** 30, 1)
    expect(c.regions[0].frameCount).toBe(2)
    expect(c.regions[0].allocationRateBytesPerS).toBe(2e9)
    const p = c.processes[0]
    expect(p.phases.map((ph) => [ph.startS, ph.endS])).toEqual([
      [0, 5],
      [5, Infinity],
    ])
    expect(phaseIndexAt(p, 0)).toBe(0)
    expect(phaseIndexAt(p, 4.999)).toBe(0)
    expect(phaseIndexAt(p, 5)).toBe(1)
    expect(phaseIndexAt(p, 1e9)).toBe(1)
  })

  it('builds a per-region permutation and its inverse', () => {
    const w = simpleWorkload([
      { id: 'a', sizeGiB: gibForFrames(1000), pattern: zipf, share: 0.5 },
      { id: 'b', sizeGiB: gibForFrames(300), pattern: zipf, share: 0.5 },
    ])
    const c = compileWorkload(w, 4096, 9)
    for (const r of c.regions) {
      const ranks = new Set<number>()
      for (let a = 0; a < r.basePages; a++) {
        const rank = baseRankOf(c, r, a)
        ranks.add(rank)
        expect(basePageOfRank(c, r, rank)).toBe(a)
      }
      expect(ranks.size).toBe(r.frameCount)
      expect(Math.max(...ranks)).toBe(r.frameCount - 1)
    }
    // Shuffled: far from the identity (a random permutation of 1000 has ~1 fixed point).
    let fixed = 0
    ranksOf(c, 0).forEach((rank, a) => (fixed += rank === a ? 1 : 0))
    expect(fixed).toBeLessThan(10)
  })

  it('is deterministic per seed, sensitive to the seed, and stable per region id', () => {
    const w = simpleWorkload([{ id: 'a', sizeGiB: gibForFrames(500), pattern: zipf, share: 1 }])
    const a = compileWorkload(w, 4096, 1)
    expect(ranksOf(compileWorkload(w, 4096, 1), 0)).toEqual(ranksOf(a, 0))
    expect(ranksOf(compileWorkload(w, 4096, 2), 0)).not.toEqual(ranksOf(a, 0))
    // Adding a region in front shifts frames but keeps region a's permutation.
    const w2 = simpleWorkload([
      { id: 'first', sizeGiB: gibForFrames(77), pattern: zipf, share: 0.5 },
      { id: 'a', sizeGiB: gibForFrames(500), pattern: zipf, share: 0.5 },
    ])
    const b = compileWorkload(w2, 4096, 1)
    expect(ranksOf(b, 1)).toEqual(ranksOf(a, 0))
  })

  it('keeps sequential layouts in address order', () => {
    const w = simpleWorkload([
      {
        id: 'a',
        sizeGiB: gibForFrames(100),
        pattern: { ...zipf, layout: 'sequential' },
        share: 0.5,
      },
      { id: 'b', sizeGiB: gibForFrames(50), pattern: { kind: 'scan' }, share: 0.5 },
    ])
    const c = compileWorkload(w, 4096, 3)
    expect(c.regions.map((r) => r.layout)).toEqual(['sequential', 'sequential'])
    expect(ranksOf(c, 0)).toEqual(Array.from({ length: 100 }, (_, a) => a))
    expect(ranksOf(c, 1)).toEqual(Array.from({ length: 50 }, (_, a) => a))
  })

  it('shares one permutation per region between processes', () => {
    const w = workloadSchema.parse({
      format: 'tierlab.workload/v1',
      name: 'shared',
      regions: [{ id: 'emb', sizeGiB: gibForFrames(400), firstTouch: 'cpu' }],
      processes: ['cpu', 'gpu'].map((id, i) => ({
        id,
        initiator: i ? 'g0' : 's0',
        threads: 1,
        computeNsPerOp: 1,
        accessesPerOp: 1,
        mlp: 1,
        writeFraction: 0,
        phases: [
          {
            durationS: 1,
            accesses: [
              {
                region: 'emb',
                share: 1,
                pattern: i
                  ? { kind: 'zipf', s: 1.2 }
                  : { kind: 'hotset', hotFraction: 0.1, hotProbability: 0.9 },
              },
            ],
          },
        ],
      })),
    })
    const c = compileWorkload(w, 4096, 5)
    const hottest = basePageOfRank(c, c.regions[0], 0)
    // Both processes' most likely frame is the region's rank-0 frame.
    for (const proc of [0, 1]) {
      let best = -1
      let bestP = -1
      for (let f = 0; f < 400; f++) {
        const p = frameProbability(c, proc, f, 0)
        if (p > bestP + 1e-15) {
          best = f
          bestP = p
        }
      }
      if (proc === 1) expect(best).toBe(hottest)
      // hotset: every hot frame ties; the rank-0 frame is among them at 0.9/40.
      else expect(frameProbability(c, 0, hottest, 0)).toBeCloseTo(0.9 / 40, 12)
    }
  })

  it('rejects a trace pattern without its trace and layout conflicts with one clear sentence', () => {
    expect(() =>
      simpleWorkload([{ id: 'a', sizeGiB: 1, pattern: { kind: 'trace', trace: 't1' }, share: 1 }]),
    ).toThrow(/names trace .*t1.* but the workload has no/)
    const w = simpleWorkload([{ id: 'a', sizeGiB: 1, pattern: zipf, share: 1 }])
    w.processes[0].phases[0].accesses.push({
      region: 'a',
      share: 0,
      pattern: { kind: 'hotset', hotFraction: 0.1, hotProbability: 0.5, layout: 'sequential' },
    })
    expect(() => compileWorkload(w, 4096, 1)).toThrow(/region "a".*same layout/)
    expect(() => compileWorkload(w, 100, 1)).toThrow(/pageBytes/)
  })

  it('frameProbability sums to 1 over all frames', () => {
    const w = simpleWorkload([
      { id: 'a', sizeGiB: gibForFrames(300), pattern: zipf, share: 0.6 },
      {
        id: 'b',
        sizeGiB: gibForFrames(200),
        pattern: { kind: 'hotset', hotFraction: 0.05, hotProbability: 0.8 },
        share: 0.3,
      },
      {
        id: 'c',
        sizeGiB: gibForFrames(100),
        pattern: { kind: 'moving-window', widthFraction: 0.1, periodS: 4 },
        share: 0.1,
      },
    ])
    const c = compileWorkload(w, 4096, 11)
    let sum = 0
    let sumA = 0
    for (let f = 0; f < c.totalFrames; f++) {
      const p = frameProbability(c, 0, f, 3.3)
      sum += p
      if (f < 300) sumA += p
    }
    expect(sum).toBeCloseTo(1, 12)
    expect(sumA).toBeCloseTo(0.6, 12)
    // The bulk form gives the same per-frame values, scaled.
    const out = new Float64Array(c.totalFrames)
    addFrameProbabilities(c, 0, 3.3, out, 2)
    for (let f = 0; f < c.totalFrames; f++)
      expect(out[f]).toBeCloseTo(2 * frameProbability(c, 0, f, 3.3), 14)
  })

  it('compiles 16 GiB at 4 KiB (4 Mi frames) with 4 bytes per cluster block of layout, 8 once ranks are mapped to addresses', () => {
    const w = simpleWorkload([{ id: 'a', sizeGiB: 16, pattern: { kind: 'zipf', s: 1 }, share: 1 }])
    const c = compileWorkload(w, 4096, 1)
    // 16 GiB / 4 KiB = 4194304 frames; one Uint32Array over blocks of 64 base pages, its inverse
    // only when something asks for it.
    expect(c.totalFrames).toBe(4 * 1024 * 1024)
    expect(c.regions[0].clusterPages).toBe(DEFAULT_CLUSTER_PAGES)
    expect(c.rankOfBlock.byteLength).toBe((4 * c.totalFrames) / DEFAULT_CLUSTER_PAGES)
    expect(c.blockOfRank).toBeNull()
    expect(c.frameWalk).toBeNull()
    const r = c.regions[0]
    for (const a of [0, 1, 123_456, c.totalFrames - 1])
      expect(basePageOfRank(c, r, baseRankOf(c, r, a))).toBe(a)
    expect(c.blockOfRank!.byteLength).toBe(c.rankOfBlock.byteLength)
  })

  it('takes 1 TiB of 4 KiB frames (2^28, MAX_FRAMES) and refuses one frame more, without compiling', () => {
    expect(MAX_FRAMES).toBe(2 ** 28)
    const tib = simpleWorkload([{ id: 'a', sizeGiB: 1024, pattern: zipf, share: 1 }])
    expect(checkWorkloadShape(tib, 4096).totalFrames).toBe(2 ** 28)
    // Hot data in the default 256 KiB runs, so the layout (per 4 KiB at any page size) fits too.
    const runs = { kind: 'zipf' as const, s: 0.99 }
    const over = simpleWorkload([
      { id: 'a', sizeGiB: 1024, pattern: runs, share: 0.5 },
      { id: 'b', sizeGiB: 4096 / 2 ** 30, pattern: runs, share: 0.5 },
    ])
    expect(() => checkWorkloadShape(over, 4096)).toThrow(
      /needs 268435457 frames of 4096 bytes, more than the engine's 268435456; use 2 MiB pages or smaller regions/,
    )
    // The same memory at 2 MiB is 2^19 frames.
    expect(checkWorkloadShape(over, 2 ** 21).totalFrames).toBe(2 ** 19 + 1)
  })

  it('lays out blocks as the inverse of the Fisher-Yates permutation of the region stream', () => {
    // The permutation engine 0.3.0 drew (rank block → address block), inverted: rankOfBlock must
    // be that inverse block for block, and blockOfRankOf the permutation itself.
    const w = simpleWorkload([
      { id: 'a', sizeGiB: 1 / 256, pattern: { kind: 'zipf', s: 1, clusterPages: 1 }, share: 0.5 },
      { id: 'b', sizeGiB: 1 / 512, pattern: { kind: 'zipf', s: 1, clusterPages: 4 }, share: 0.5 },
    ])
    const c = compileWorkload(w, 4096, 9)
    const rng = new Rng(9).fork('workload-layout')
    for (const r of c.regions) {
      const perm = Uint32Array.from({ length: r.fullBlocks }, (_, i) => i)
      rng.fork(`region:${r.id}`).shuffleInPlace(perm)
      const expected = new Uint32Array(r.fullBlocks)
      perm.forEach((a, b) => (expected[a] = b))
      const got = c.rankOfBlock.subarray(r.blockStart, r.blockStart + r.fullBlocks)
      expect(Array.from(got)).toEqual(Array.from(expected))
      expect(
        Array.from(blockOfRankOf(c).subarray(r.blockStart, r.blockStart + r.fullBlocks)),
      ).toEqual(Array.from(perm))
    }
  })
})
