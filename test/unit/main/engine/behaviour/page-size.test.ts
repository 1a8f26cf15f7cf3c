import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  BUILTIN_POLICIES,
  createRegistry,
  definePolicy,
  runSimulation,
  type AccessSample,
  type TruthView,
} from '../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'

/**
 * Page sizes are faithful when hotness is defined per 4 KiB base page (workload/base-pages.ts):
 * the same workload and seed are the same access distribution at 4 KiB and at 2 MiB.
 */

describe('page size and hotness', () => {
  it.each([
    ['zipf, default clustering', { kind: 'zipf', s: 1.1 }],
    ['zipf, scattered', { kind: 'zipf', s: 0.99, clusterPages: 1 }],
    [
      'hotset, packed',
      { kind: 'hotset', hotFraction: 0.05, hotProbability: 0.95, clusterPages: 512 },
    ],
  ] as const)(
    '%s: first-touch hit ratio agrees within 0.015 at 4 KiB and 2 MiB',
    (_name, pattern) => {
      // 1 GiB on 256 MiB of DRAM: first touch fills DRAM with the region's first quarter.
      const w = singleRegion(1, pattern)
      const hit = (pageBytes: 4096 | 2097152) =>
        runSimulation(
          experiment(socketPlusCxl(0.25, 2), w, 'first-touch', {}, { pageBytes, durationS: 0.5 }),
          BUILTIN_POLICIES,
        ).summary.topTierHitRatio
      const small = hit(4096)
      const huge = hit(2097152)
      expect(small).toBeGreaterThan(0.05)
      expect(Math.abs(small - huge)).toBeLessThan(0.015)
    },
  )

  /** Each 2 MiB frame's mean time from a scan to its first CPU access, ms (1 / its rate). */
  function touchTimesMs(clusterPages: number): { times: number[]; skews: number[] } {
    const times: number[] = []
    const skews: number[] = []
    const probe = definePolicy({
      id: 'touch-probe',
      name: 'touch-time probe',
      description: 'tests only',
      knobs: z.strictObject({}),
      needsTruth: true,
      subscriptions: () => ({}),
      reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
      create: (_k, ctx, truth: TruthView | null) => ({
        onEpoch: () => {
          if (ctx.epoch !== 20 || !truth) return
          for (let f = 0; f < ctx.totalFrames; f++) {
            times.push(1000 / truth.frameAccessRate(f))
            skews.push(truth.frameBaseSkew?.(f) ?? NaN)
          }
        },
      }),
    })
    // 4 GiB, a tenth of it hot and taking 99 % of the accesses: cold base pages see ~0.06/s.
    const w = singleRegion(4, {
      kind: 'hotset',
      hotFraction: 0.1,
      hotProbability: 0.99,
      clusterPages,
    })
    runSimulation(
      experiment(socketPlusCxl(2, 4), w, 'touch-probe', {}, { durationS: 0.5 }),
      createRegistry([probe]),
    )
    return { times, skews }
  }

  it('at 2 MiB, cold huge pages are not touched within ~1 ms when hot data clusters', () => {
    const share = (xs: number[], pred: (x: number) => boolean) => xs.filter(pred).length / xs.length
    // Hot data scattered page by page: every huge page holds ~51 hot base pages and is touched
    // within a millisecond, so no hint-fault threshold could tell huge pages apart.
    const scattered = touchTimesMs(1)
    expect(scattered.times).toHaveLength(2048)
    expect(Math.max(...scattered.times)).toBeLessThan(1)
    // The default (runs of 64 base pages): ~43 % of huge pages hold no hot run, and those wait
    // tens of ms; the hot ones well under a millisecond.
    const clustered = touchTimesMs(64)
    expect(share(clustered.times, (t) => t > 10)).toBeGreaterThan(0.3)
    expect(share(clustered.times, (t) => t < 1)).toBeGreaterThan(0.3)
    // Packed (512): exactly the hot tenth is hot.
    const packed = touchTimesMs(512)
    expect(share(packed.times, (t) => t < 1)).toBeCloseTo(0.1, 2)
    // Skew: a huge page mixing hot and cold runs is skewed; packed, only the one huge page where
    // the hot set ends is.
    expect(Math.max(...clustered.skews)).toBeGreaterThan(4)
    expect(packed.skews.filter((x) => x > 1.01)).toHaveLength(1)
  })

  it("a moving window's 2 MiB frames keep their base pages' sum as the window moves", () => {
    let worst = 0
    let checked = 0
    const probe = definePolicy({
      id: 'window-probe',
      name: 'window probe',
      description: 'tests only',
      knobs: z.strictObject({}),
      needsTruth: true,
      subscriptions: () => ({}),
      reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
      create: (_k, ctx, truth: TruthView | null) => ({
        onEpoch: () => {
          if (!truth || ctx.epoch % 7 !== 3) return
          const sums = Array.from({ length: ctx.totalFrames }, (_, f) =>
            (truth.frameBaseRates?.(f) ?? new Float64Array(0)).reduce((s, x) => s + x, 0),
          )
          // Relative to the hottest frame: frames that left the window keep float32 residue.
          const top = Math.max(...sums)
          sums.forEach((parts, f) => {
            worst = Math.max(worst, Math.abs(truth.frameAccessRate(f) - parts) / top)
            checked++
          })
        },
      }),
    })
    // The window (a tenth, 51.2 huge pages wide) crosses huge pages part-way every epoch.
    const w = singleRegion(1, { kind: 'moving-window', widthFraction: 0.1, periodS: 0.37 })
    runSimulation(
      experiment(socketPlusCxl(0.5, 2), w, 'window-probe', {}, { durationS: 0.5 }),
      createRegistry([probe]),
    )
    expect(checked).toBeGreaterThan(3000)
    expect(worst).toBeLessThan(1e-4)
  })

  it('access samples say which 4 KiB page of a 2 MiB frame they hit', () => {
    const seen: AccessSample[] = []
    const sampler = definePolicy({
      id: 'sampler',
      name: 'sample probe',
      description: 'tests only',
      knobs: z.strictObject({}),
      subscriptions: () => ({ samples: { period: 997 } }),
      reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
      create: () => ({ onSamples: (batch) => void seen.push(...batch) }),
    })
    // Packed hot set: a hot frame's accesses spread over its base pages, cold frames likewise.
    const w = singleRegion(0.25, { kind: 'zipf', s: 1.2, clusterPages: 8 })
    runSimulation(
      experiment(socketPlusCxl(1, 1), w, 'sampler', {}, { durationS: 0.3 }),
      createRegistry([sampler]),
    )
    expect(seen.length).toBeGreaterThan(500)
    const pages = new Set(seen.map((s) => s.basePage))
    expect(Math.min(...(pages as Set<number>))).toBeGreaterThanOrEqual(0)
    expect(Math.max(...(pages as Set<number>))).toBeLessThan(512)
    expect(pages.size).toBeGreaterThan(50)
  })
})
