import { describe, expect, it } from 'vitest'
import { experiment, singleRegion, socketPlusCxl } from '../../sim/fixtures'
import { runScript } from './helpers'

const exp = (seed: number) =>
  experiment(
    socketPlusCxl(0.0625, 0.25),
    singleRegion(0.125, { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.95 }),
    'first-touch',
    {},
    { pageBytes: 4096, durationS: 2, seed },
  )

/** Promotes a random half of the epoch's hint faults, batched: Math.random is the run's stream. */
const RANDOM_BATCH = `export default {
  name: 'random half',
  knobs: {},
  subscriptions: () => ({ hintFaults: { mode: 'tiering', scanDelayMs: 100 } }),
  reclaim: () => ({ demotionEnabled: true, balanceTo: 'promo' }),
  create(knobs, ctx) {
    return {
      onHintFaults(faults, ctx) {
        for (const f of faults)
          if (Math.random() < 0.5 && ctx.isTopTier(f.cpuNode)) ctx.migrate(f.frame, f.cpuNode, 'async')
      },
    }
  },
}`

describe('policy scripts are deterministic', () => {
  it('Math.random is the run seed’s stream: same seed, same result; another seed, another', async () => {
    const a = await runScript(exp(1), RANDOM_BATCH, 'random.js')
    const b = await runScript(exp(1), RANDOM_BATCH, 'random.js')
    const c = await runScript(exp(2), RANDOM_BATCH, 'random.js')
    expect(a.summary.promotions).toBeGreaterThan(0)
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary))
    expect(c.summary.promotions).not.toBe(a.summary.promotions)
  })

  it('batched faults (onHintFaults) reach the script, every one of them, before onEpoch', async () => {
    const counting = RANDOM_BATCH.replace(
      'onHintFaults(faults, ctx) {',
      'onEpoch(ctx) { if (ctx.epoch === 199) console.log(String(seen)) },\n      onHintFaults(faults, ctx) { seen += faults.length;',
    ).replace('create(knobs, ctx) {', 'create(knobs, ctx) { let seen = 0;')
    const r = await runScript(exp(1), counting, 'count.js')
    expect(r.summary.hintFaults).toBeGreaterThan(0)
    // Without a cut-off every fault is delivered, so the script saw exactly the faults counted.
    expect(r.logs).toEqual([String(r.summary.hintFaults)])
  })
})
