import { z } from 'zod'
import { autoInterleaveWeights, checkManualWeights, interleaveNodeFor } from '../kernel'
import { definePolicy, type PolicyContext } from './api'
import { knob } from './knob'
import { memoryNodes } from './node-list'

/**
 * MPOL_WEIGHTED_INTERLEAVE (v6.9) [WI][WI-ABI]: page i of a region goes to the node that
 * `i mod Σw` falls on when walking the nodes' weights. Manual weights as in
 * /sys/kernel/mm/mempolicy/weighted_interleave/nodeN (1–255, default 1), or automatic weights
 * from each node's access1 bandwidth (min of read and write, weightiness 32, divided by the GCD).
 *
 * Auto weights form ONE system-wide table: `reduce_interleave_weights` runs over every N_MEMORY
 * node (a node without HMAT/CDAT data contributes bandwidth 0 and gets weight 1), and a policy
 * over a subset of nodes reads that table's entries without re-normalising [WI] mm/mempolicy.c.
 * So 2 × 300 GB/s + 60 GB/s is 7:7:1 system-wide, and interleaving over nodes 0 and 2 is 7:1.
 */
const knobs = z.strictObject({
  mode: knob(z.enum(['auto', 'manual']).default('auto'), {
    label: 'Mode',
    unit: '',
    description: "'auto' derives weights from node bandwidth; 'manual' uses the weights knob.",
  }),
  nodes: knob(z.array(z.number().int().min(0)).default([]), {
    label: 'Nodes',
    unit: 'node ids',
    description: 'NUMA nodes to interleave over; empty means every node with memory.',
  }),
  weights: knob(z.record(z.string().regex(/^\d+$/), z.number().int().min(1).max(255)).default({}), {
    label: 'Weights',
    unit: 'weight 1–255',
    description:
      'Manual mode: weight per node id, e.g. {"0": 5, "2": 1}; missing nodes weigh 1 (the sysfs default).',
  }),
})

/**
 * The kernel's system-wide auto-weight table, node id → weight: over all N_MEMORY nodes, from
 * their access1 (ACCESS_COORDINATE_CPU) bandwidth as firmware reports it [WI]; a node with no
 * reported data or no CPU path has bandwidth 0, hence weight 1.
 */
export function systemInterleaveWeights(ctx: Pick<PolicyContext, 'analysis'>): Map<number, number> {
  const all = ctx.analysis.nodes.filter((n) => n.hasMemory && n.capacityBytes > 0)
  const w = autoInterleaveWeights(
    all.map((n) => {
      const a = n.performanceReported ? n.access1 : null
      return { readMBps: a?.readBandwidthMBps ?? 0, writeMBps: a?.writeBandwidthMBps ?? 0 }
    }),
  )
  return new Map(all.map((n, i) => [n.node, w[i]]))
}

export const weightedInterleave = definePolicy({
  id: 'weighted-interleave',
  name: 'Weighted interleave',
  description:
    'Interleave pages in proportion to per-node weights: set by hand, or derived from bandwidth as the kernel does in auto mode.',
  knobs,
  subscriptions: () => ({}),
  reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
  create: (k, ctx) => {
    const nodes = memoryNodes(ctx, k.nodes)
    let weights: number[]
    if (k.mode === 'manual') {
      for (const key of Object.keys(k.weights))
        if (!nodes.includes(Number(key)))
          throw new Error(
            `weights names node ${key}, which is not interleaved; use some of ${nodes.join(', ')}`,
          )
      weights = checkManualWeights(nodes.map((n) => k.weights[String(n)] ?? 1))
    } else {
      const table = systemInterleaveWeights(ctx)
      weights = nodes.map((n) => table.get(n) ?? 1)
    }
    return {
      place: (req) => {
        const offset = req.frame - ctx.regions[req.region].frameStart
        return nodes[interleaveNodeFor(weights, offset)]
      },
    }
  },
})
