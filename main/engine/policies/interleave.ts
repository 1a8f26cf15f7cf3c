import { z } from 'zod'
import { definePolicy } from './api'
import { knob } from './knob'
import { memoryNodes } from './node-list'

/**
 * MPOL_INTERLEAVE (`numactl --interleave`): page i of a region goes to node i mod n of the
 * listed nodes, by its offset in the region as the kernel uses the VMA offset. Pages never move.
 */
const knobs = z.strictObject({
  nodes: knob(z.array(z.number().int().min(0)).default([]), {
    label: 'Nodes',
    unit: 'node ids',
    description: 'NUMA nodes to interleave over; empty means every node with memory.',
  }),
})

export const interleave = definePolicy({
  id: 'interleave',
  name: 'Interleave',
  description:
    'Round-robin pages over the chosen nodes (all memory nodes by default); no migration.',
  knobs,
  subscriptions: () => ({}),
  reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
  create: (k, ctx) => {
    const nodes = memoryNodes(ctx, k.nodes)
    return {
      place: (req) => {
        const offset = req.frame - ctx.regions[req.region].frameStart
        return nodes[offset % nodes.length]
      },
    }
  },
})
