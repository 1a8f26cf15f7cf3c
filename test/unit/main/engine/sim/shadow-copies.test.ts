import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { runSimulation, type ResolvedExperiment } from '../../../../../main/engine'
import { definePolicy, type ShadowCopyStats } from '../../../../../main/engine/policies/api'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { experiment, singleRegion, socketPlusCxl } from './fixtures'

/**
 * The engine's shadow copies (sim/shadow-copies.ts) driven by a test policy: it places every page
 * on CXL, promotes pages with `keepShadow`, and later demotes them, reading the books as it goes.
 */
interface Seen {
  freeBefore: number
  freeAfterPromotion: number
  freeLater: number
  freeAfterDemotion: number
  afterPromotion: ShadowCopyStats
  end: ShadowCopyStats
}

function shadowProbe(frames: number[], mode: 'sync' | 'async', seen: Partial<Seen>) {
  return definePolicy({
    id: 'shadow-probe',
    name: 'shadow probe',
    description: 'test policy',
    knobs: z.strictObject({}),
    subscriptions: () => ({}),
    reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
    create: (_k, ctx) => ({
      place: () => 1,
      onEpoch: () => {
        if (ctx.epoch === 1) {
          seen.freeBefore = ctx.nodeFreeBytes(1)
          for (const f of frames) ctx.migrate(f, 0, mode, { keepShadow: true, chargeProcess: 0 })
          seen.freeAfterPromotion = ctx.nodeFreeBytes(1)
        }
        if (ctx.epoch === 3) {
          seen.freeLater = ctx.nodeFreeBytes(1)
          seen.afterPromotion = ctx.shadowStats!()
        }
        // 0.5 s later every page goes back down.
        if (ctx.epoch === 53) {
          for (const f of frames) ctx.migrate(f, 1, 'sync', 0)
          seen.freeAfterDemotion = ctx.nodeFreeBytes(1)
        }
        if (ctx.epoch === 60) seen.end = ctx.shadowStats!()
      },
    }),
  })
}

/** A read-only region r0 and a written region r1 (region writeFraction over the process's). */
function twoRegions(): ResolvedExperiment['workload'] {
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'read-only and written',
    regions: [
      { id: 'r0', sizeGiB: 1 / 64, firstTouch: 'p0', writeFraction: 0 },
      { id: 'r1', sizeGiB: 1 / 64, firstTouch: 'p0', writeFraction: 1 },
    ],
    processes: [
      {
        id: 'p0',
        initiator: 's0',
        threads: 1,
        computeNsPerOp: 300,
        accessesPerOp: 1,
        mlp: 1,
        writeFraction: 0.5,
        phases: [
          {
            durationS: 1,
            accesses: [
              { region: 'r0', share: 0.5, pattern: { kind: 'uniform' } },
              { region: 'r1', share: 0.5, pattern: { kind: 'uniform' } },
            ],
          },
        ],
      },
    ],
  })
}

describe('shadow copies (non-exclusive tiering in the engine)', () => {
  const PAGE = 4096
  // r0 holds frames 0..4095, r1 frames 4096..8191 (1/64 GiB each of 4 KiB pages).
  const frames = [
    ...Array.from({ length: 100 }, (_, i) => i * 7),
    ...Array.from({ length: 100 }, (_, i) => 4096 + i * 7),
  ]
  for (const mode of ['fast', 'exact'] as const)
    it(`keeps the slow copy's memory, remaps clean pages down and copies written ones (${mode})`, () => {
      const seen: Partial<Seen> = {}
      const r = runSimulation(
        experiment(
          socketPlusCxl(1 / 8, 1 / 8),
          twoRegions(),
          'shadow-probe',
          {},
          {
            pageBytes: PAGE,
            durationS: 0.7,
            mode,
          },
        ),
        shadowProbe(frames, 'sync', seen),
      )
      // Promotion copied 200 pages and left their old copies: CXL's free memory did not grow.
      expect(seen.freeAfterPromotion).toBe(seen.freeBefore)
      // r1's pages see ~150 writes/s each, so by epoch 3 most of their shadows are gone, each
      // freeing its page on CXL; r0's all stay.
      const mid = seen.afterPromotion!
      expect(mid.writeInvalidations).toBeGreaterThan(50)
      expect(mid.shadowBytes).toBe((200 - mid.writeInvalidations) * PAGE)
      expect(seen.freeLater! - seen.freeBefore!).toBe(mid.writeInvalidations * PAGE)
      const end = seen.end!
      // Every r1 page was written before its demotion: 100 invalidations, 100 copies down.
      expect(end.writeInvalidations).toBe(100)
      expect(end.freeDemotions).toBe(100)
      expect(end.demotionCopyBytes).toBe(100 * PAGE)
      expect(end.shadowBytes).toBe(0)
      // CXL's books: the 100 remapped pages took their shadow's memory, the 100 copied ones new
      // memory, whose shadows the writes had freed: back where it started.
      expect(seen.freeAfterDemotion).toBe(seen.freeBefore)
      // The summary's migrated bytes count copies only: 200 up, 100 down.
      expect(r.summary.migratedBytes).toBe(300 * PAGE)
      expect(r.summary.demotedBytes).toBe(200 * PAGE)
    })

  it('aborts a transactional promotion of a page written during its copy', () => {
    // One page takes half of ~3e6 accesses/s, all writes in r1: ~1.6e6 writes/s against a
    // ~1.1 µs copy makes most attempts abort; the same page read-only never aborts.
    const run = (writeFraction: number) => {
      const seen: Partial<Seen> = {}
      const wl = singleRegion(
        1 / 64,
        { kind: 'hotset', hotFraction: 1 / 4096, hotProbability: 0.5 },
        {
          threads: 1,
          computeNsPerOp: 0,
          mlp: 4,
          writeFraction,
        },
      )
      const probe = definePolicy({
        ...shadowProbe([], 'async', seen),
        create: (_k, ctx) => ({
          place: () => 1,
          onEpoch: () => {
            for (let f = 0; f < ctx.totalFrames; f++)
              if (ctx.frameNode(f) === 1 && ctx.epoch < 40)
                ctx.migrate(f, 0, 'async', { keepShadow: true })
            seen.end = ctx.shadowStats!()
          },
        }),
      })
      runSimulation(
        experiment(
          socketPlusCxl(1 / 8, 1 / 8),
          wl,
          'shadow-probe',
          {},
          { pageBytes: PAGE, durationS: 0.5 },
        ),
        probe,
      )
      return seen.end!
    }
    const written = run(1)
    const read = run(0)
    expect(written.abortedPromotions).toBeGreaterThan(0)
    expect(read.abortedPromotions).toBe(0)
  })
})
