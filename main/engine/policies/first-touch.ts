import { z } from 'zod'
import { definePolicy } from './api'

/**
 * Linux's default for anonymous memory: a page lands on the node of the CPU that touches it
 * first, falling back to the nearest node by distance when that one is full. Nothing moves
 * afterwards: no NUMA balancing, no demotion (demotion_enabled defaults to false [ABI-NUMA]).
 */
export const firstTouch = definePolicy({
  id: 'first-touch',
  name: 'First touch (no tiering)',
  description:
    'Local-first allocation with fallback to the nearest node by distance; pages never move. The baseline without tiering.',
  knobs: z.strictObject({}),
  subscriptions: () => ({}),
  reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
  create: () => ({}),
})
