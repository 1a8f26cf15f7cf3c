import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { definePolicy, runSimulation, type PolicyContext } from '../../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from '../../sim/fixtures'
import { runScript } from './helpers'

/**
 * Scripts split huge pages and move base pages as built-ins do (sim/split-frames.ts): the same
 * calls give the same run, byte for byte.
 */
const exp = experiment(
  socketPlusCxl(1 / 16, 1 / 4),
  singleRegion(1 / 8, { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.95 }),
  'x',
  {},
  { pageBytes: 2097152, durationS: 0.5 },
)

/** At epoch 5: split the last frame (on CXL) and move its first 100 base pages to DRAM. */
function act(ctx: PolicyContext, log: (s: string) => void): void {
  if (ctx.epoch !== 5) return
  const f = ctx.totalFrames - 1
  log(`${ctx.frameNode(f)} ${ctx.isSplit!(f)} ${ctx.splitFrame!(f)} ${ctx.splitFrame!(f)}`)
  const pages = Array.from({ length: 100 }, (_, b) => b)
  log(`${ctx.migrateBasePages!(f, pages, 0, 'async', { kernelThread: 'kpromoted' })}`)
  log(`${ctx.isSplit!(f)} ${ctx.basePageNode!(f, 99)} ${ctx.basePageNode!(f, 100)}`)
}

describe('scripts split huge pages', () => {
  it('splitFrame, isSplit, basePageNode and migrateBasePages do what they do for a built-in', async () => {
    const r = await runScript(
      exp,
      `export default {
        name: 'splitter',
        knobs: {},
        subscriptions: () => ({}),
        reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
        create(knobs, ctx) {
          return { onEpoch(ctx) { (${act.toString()})(ctx, (s) => console.log(s)) } }
        },
      }`,
      'splitter.js',
    )
    expect(r.logs).toEqual(['1 false split already-split', 'migrated', 'true 0 1'])
    const logs: string[] = []
    const def = definePolicy({
      id: 'x',
      name: 'x',
      description: 'tests only',
      knobs: z.strictObject({}),
      subscriptions: () => ({}),
      reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
      create: (_k, ctx) => ({ onEpoch: () => act(ctx, (s) => logs.push(s)) }),
    })
    const builtIn = runSimulation(exp, def)
    expect(logs).toEqual(r.logs)
    expect(builtIn.summary.promotedBytes).toBe(100 * 4096)
    expect(JSON.stringify(r.summary)).toBe(JSON.stringify(builtIn.summary))
  })

  it('a base page outside the frame is one clear error naming the script', async () => {
    await expect(
      runScript(
        exp,
        `export default {
          name: 'bad',
          create(knobs, ctx) {
            return { onEpoch(ctx) { ctx.splitFrame(0); ctx.migrateBasePages(0, [512], 1, 'sync') } }
          },
        }`,
        'bad.js',
      ),
    ).rejects.toThrow(/bad\.js.*base page 512 is not in frame 0/)
  })
})
