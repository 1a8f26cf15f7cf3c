import { describe, expect, it } from 'vitest'
import { runSimulation, type SimulationResult } from '../../../../../main/engine'
import {
  definePolicy,
  type PolicyContext,
  type TruthView,
} from '../../../../../main/engine/policies/api'
import { z } from 'zod'
import { experiment, singleRegion, socketPlusCxl } from './fixtures'

const MIB = 1024 * 1024
const HUGE = 2097152 as const
const BASE = 4096 as const

/**
 * Huge-page split in the engine (sim/split-frames.ts), driven by a scripted policy that knows the
 * truth: 256 MiB of a hot set (1/8 of the base pages, in 256 KiB runs) over 64 MiB of DRAM and
 * CXL. Epoch 1 demotes 4 DRAM frames whole to make room; epoch 3 splits 6 CXL frames and one
 * DRAM frame; epoch 5 promotes the hot base pages of the CXL ones and demotes half of the DRAM
 * one's base pages; epoch 7 demotes that DRAM frame whole (its remaining base pages go along).
 */
interface Seen {
  epoch: number
  usedBytes: number[]
  expectedHit: number
}

function probe(seen: Seen[], outcomes: string[]) {
  return definePolicy({
    id: 'split-probe',
    name: 'split probe',
    description: 'test only',
    knobs: z.strictObject({}),
    subscriptions: () => ({}),
    reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
    needsTruth: true,
    create: (_k, _ctx, truth) => {
      const t = truth as TruthView
      const cxlSplit: number[] = []
      let dramSplit = -1
      const framesOn = (ctx: PolicyContext, node: number) => {
        const out: number[] = []
        for (let f = 0; f < ctx.totalFrames; f++) if (ctx.frameNode(f) === node) out.push(f)
        return out
      }
      return {
        onEpoch: (ctx) => {
          if (ctx.epoch === 1)
            for (const f of framesOn(ctx, 0).slice(0, 4))
              outcomes.push(ctx.migrate(f, 1, 'sync', 0))
          if (ctx.epoch === 3) {
            // CXL frames holding one to three hot runs of 64 base pages among cold ones.
            const skewed = framesOn(ctx, 1).filter((f) => {
              const rates = t.frameBaseRates!(f)
              const max = Math.max(...rates)
              const hot = rates.filter((r) => r === max).length
              return hot >= 64 && hot <= 192
            })
            for (const f of skewed.slice(0, 6)) {
              outcomes.push(ctx.splitFrame!(f))
              cxlSplit.push(f)
            }
            dramSplit = framesOn(ctx, 0)[0]
            outcomes.push(ctx.splitFrame!(dramSplit))
            outcomes.push(ctx.splitFrame!(dramSplit))
          }
          if (ctx.epoch === 5 && dramSplit >= 0 && ctx.isSplit!(dramSplit)) {
            for (const f of cxlSplit) {
              const rates = t.frameBaseRates!(f)
              const mean = rates.reduce((a, b) => a + b, 0) / rates.length
              const hot = [...rates.keys()].filter((b) => rates[b] > mean)
              outcomes.push(ctx.migrateBasePages!(f, hot, 0, 'sync', 0))
            }
            const half = Array.from({ length: 256 }, (_, b) => b)
            outcomes.push(ctx.migrateBasePages!(dramSplit, half, 1, 'async'))
          }
          if (ctx.epoch === 7 && dramSplit >= 0 && ctx.isSplit!(dramSplit)) {
            outcomes.push(ctx.migrate(dramSplit, 1, 'sync', 0))
            for (let b = 0; b < 512; b++)
              if (ctx.basePageNode!(dramSplit, b) !== 1) outcomes.push(`base page ${b} left behind`)
          }
          // What the hit ratio must be: each base page's true rate on its own node.
          let all = 0
          let top = 0
          for (let f = 0; f < ctx.totalFrames; f++) {
            if (ctx.frameNode(f) < 0) continue
            const rates = t.frameBaseRates!(f)
            const split = ctx.isSplit!(f)
            for (let b = 0; b < rates.length; b++) {
              all += rates[b]
              const node = split ? ctx.basePageNode!(f, b) : ctx.frameNode(f)
              if (ctx.isTopTier(node)) top += rates[b]
            }
          }
          seen.push({
            epoch: ctx.epoch,
            usedBytes: [0, 1].map((n) => ctx.nodeUsedBytes(n)),
            expectedHit: top / all,
          })
        },
      }
    },
  })
}

function run(mode: 'fast' | 'exact', pageBytes: 4096 | 2097152 = HUGE) {
  const seen: Seen[] = []
  const outcomes: string[] = []
  const exp = experiment(
    socketPlusCxl(1 / 16, 1 / 2),
    singleRegion(
      1 / 4,
      { kind: 'hotset', hotFraction: 1 / 8, hotProbability: 0.9, clusterPages: 64 },
      { threads: 1, computeNsPerOp: 500, mlp: 4 },
    ),
    'split-probe',
    {},
    { pageBytes, durationS: mode === 'exact' ? 0.5 : 0.1, mode },
  )
  const result = runSimulation(exp, probe(seen, outcomes))
  return { seen, outcomes, result }
}

const series = (r: SimulationResult, key: string) => r.series.find((s) => s.key === key)!.values

describe('huge-page split', () => {
  const { seen, outcomes, result } = run('fast')

  it('splits, refuses a second split, and moves base pages all or nothing', () => {
    expect(outcomes.slice(0, 4)).toEqual(Array(4).fill('migrated'))
    expect(outcomes.slice(4, 11)).toEqual(Array(7).fill('split'))
    expect(outcomes[11]).toBe('already-split')
    expect(outcomes.slice(12)).toEqual(Array(8).fill('migrated'))
  })

  it('accounts every byte: the total never changes, DRAM never holds more than it has', () => {
    const total = 256 * MIB
    for (const s of seen) {
      expect(s.usedBytes[0] + s.usedBytes[1]).toBe(total)
      expect(s.usedBytes[0]).toBeLessThanOrEqual(64 * MIB)
      expect(s.usedBytes[0] % BASE).toBe(0)
    }
    // Epoch 5 moved 256 base pages (1 MiB) of the DRAM frame down and the hot ones up.
    const e4 = seen.find((s) => s.epoch === 4)!
    const e6 = seen.find((s) => s.epoch === 6)!
    const moved = (result.summary.promotedBytes ?? 0) as number
    expect(moved % BASE).toBe(0)
    expect(moved).toBeGreaterThan(0)
    expect(e6.usedBytes[0]).toBe(e4.usedBytes[0] + moved - MIB)
    // Epoch 7 demoted the DRAM frame whole: the other half of it left DRAM.
    const e8 = seen.find((s) => s.epoch === 8)!
    expect(e8.usedBytes[0]).toBe(e6.usedBytes[0] - MIB)
    // The run's own node series agree (bytes, not frames).
    expect(series(result, 'node.0.usedBytes').at(-1)).toBe(e8.usedBytes[0])
  })

  it("puts each base page's accesses on its node: the hit ratio is the base pages' share", () => {
    const hit = series(result, 'topTierHitRatio')
    // Splitting alone moves nothing; promoting the hot base pages of 6 frames raises the hit ratio
    // by exactly their share of the accesses.
    const at = (e: number) => seen.find((s) => s.epoch === e)!.expectedHit
    expect(at(4)).toBeCloseTo(at(2), 12)
    expect(at(6)).toBeGreaterThan(at(4) + 0.02)
    for (const e of [2, 4, 6, 8]) expect(hit[e]).toBeCloseTo(at(e), 4)
  })

  it('charges the base-page moves as migrations of 4 KiB pages', () => {
    const s = result.summary
    // 4 whole frames down, then 256 base pages of the split DRAM frame, then the frame with the
    // 256 still with it (what a whole-frame move of a split frame copies).
    expect(s.demotedBytes).toBe(4 * HUGE + MIB + MIB)
    expect(s.migratedBytes).toBe(s.demotedBytes + (s.promotedBytes as number))
    expect(s.promotions).toBe((s.promotedBytes as number) / BASE)
    expect(s.migrationCpuS).toBeGreaterThan(0)
  })

  it('draws exact-mode accesses on the base pages’ nodes', () => {
    const ex = run('exact')
    const hit = series(ex.result, 'topTierHitRatio').slice(10)
    const want = ex.seen.slice(10).map((s) => s.expectedHit)
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
    expect(Math.abs(mean(hit) - mean(want))).toBeLessThan(0.01)
  })

  it('splits nothing at 4 KiB', () => {
    const { outcomes: o } = run('fast', BASE)
    // No frame of one base page is skewed; the DRAM frame's two splits are refused.
    expect(o.slice(4)).toEqual(['not-huge', 'not-huge'])
  })
})
