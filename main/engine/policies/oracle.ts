import { z } from 'zod'
import { definePolicy, type PolicyContext, type TruthView } from './api'
import { knob } from './knob'

/**
 * The upper bound: knows every frame's true hotness and, each epoch, moves the hottest frames into
 * the top tier (exchanging them with the coldest top-tier frames when the top tier is full),
 * within a migration budget. Moves into free room are queued on the target's kernel thread
 * (kmigrated); swaps happen at once, paid by a kernel thread. It declares `needsTruth`.
 */
const knobs = z.strictObject({
  migrationBudgetMBps: knob(z.number().positive().max(1e6).default(2048), {
    label: 'Migration budget',
    unit: 'MB/s',
    description: 'Bytes the oracle may migrate per second of simulated time.',
  }),
})

export const oracle = definePolicy({
  id: 'oracle',
  name: 'Oracle (upper bound)',
  description:
    'Knows true hotness and keeps the hottest pages in the top tier every epoch, within a migration budget. An upper bound, not a real mechanism.',
  knobs,
  subscriptions: () => ({}),
  reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
  needsTruth: true,
  create: (k, ctx, truth) => {
    if (!truth) throw new Error('the oracle needs the engine to hand it the truth')
    return { onEpoch: oracleEpoch(k.migrationBudgetMBps, truth) }
  },
})

function oracleEpoch(budgetMBps: number, truth: TruthView) {
  let version = -1
  let hotCursor = 0
  let coldCursor = 0
  let budgetFrames = 0
  return (ctx: PolicyContext): void => {
    const order = truth.hotOrder()
    const hotSet = truth.hotSetFrames()
    if (truth.orderVersion() !== version) {
      version = truth.orderVersion()
      hotCursor = 0
      coldCursor = order.length - 1
    }
    budgetFrames = Math.min(budgetFrames + (budgetMBps * 1e6 * ctx.epochS) / ctx.pageBytes, 1e9)
    const top = ctx.analysis.nodes
      .filter((n) => ctx.isTopTier(n.node) && n.capacityBytes > 0)
      .map((n) => n.node)
    // Cheapest first: free room in the top tier above the high watermark, counting what the
    // kernel threads have queued there but not moved yet.
    const roomy = (): number => {
      for (const n of top) {
        const free = ctx.nodeFreeBytes(n) - ctx.queuedToNode(n) * ctx.pageBytes
        if (free - ctx.pageBytes >= ctx.watermarks(n).highBytes) return n
      }
      return -1
    }
    while (budgetFrames >= 1 && hotCursor < hotSet) {
      const f = order[hotCursor]
      const node = ctx.frameNode(f)
      if (node < 0 || ctx.isTopTier(node)) {
        hotCursor++
        continue
      }
      const target = roomy()
      if (target >= 0) {
        const outcome = ctx.migrate(f, target, 'async')
        if (outcome !== 'queued' && outcome !== 'migrated') break
        budgetFrames--
        hotCursor++
        continue
      }
      // Full: swap with the coldest top-tier frame ranked below f and strictly colder. Not only
      // outside the hot set: it counts the top tier's whole capacity while the watermarks keep
      // some of it free, and tied frames rank by index, so the equally cold pages that first touch
      // put in the top tier (a real trace's pages touched once) may all rank inside it.
      while (coldCursor > hotCursor) {
        const g = order[coldCursor]
        const gn = ctx.frameNode(g)
        if (gn >= 0 && ctx.isTopTier(gn)) break
        coldCursor--
      }
      if (coldCursor <= hotCursor || budgetFrames < 2) break
      const victim = order[coldCursor]
      if (truth.frameAccessRate(victim) >= truth.frameAccessRate(f)) break
      ctx.exchange(f, victim, 'async')
      coldCursor--
      budgetFrames -= 2
      hotCursor++
    }
  }
}
