import type { AnalysedTier } from '../../../shared/analysis'
import { MEMTIER_CHUNK_BITS, MEMTIER_CHUNK_SIZE } from './adistance'

export interface TierInput {
  node: number
  adistance: number
  hasCpu: boolean
  hasMemory: boolean
}

/**
 * Memory tiers as find_create_memory_tier() builds them ([MT]): each N_MEMORY node joins the tier
 * whose start is round_down(adistance, 128); tiers are kept sorted by start, fastest first.
 */
export function buildTiers(nodes: TierInput[]): AnalysedTier[] {
  const byStart = new Map<number, number[]>()
  for (const n of nodes) {
    if (!n.hasMemory) continue
    // round_down(x, 128) is x & ~127 on an int; >> then gives the tier id, also for negative values.
    const tier = n.adistance >> MEMTIER_CHUNK_BITS
    const list = byStart.get(tier) ?? []
    list.push(n.node)
    byStart.set(tier, list)
  }
  return [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([tier, list]) => ({
      tier,
      adistanceStart: tier * MEMTIER_CHUNK_SIZE,
      nodes: list.sort((a, b) => a - b),
    }))
}

/**
 * top_tier_adistance (establish_demotion_targets, [MT]): walk the tiers from slowest to fastest;
 * the first tier holding a node with CPUs gives its start + MEMTIER_CHUNK_SIZE - 1. The kernel's
 * static starts at 0, which is what stays when no tier holds a CPU node.
 */
export function topTierAdistance(tiers: AnalysedTier[], hasCpu: (node: number) => boolean): number {
  for (let i = tiers.length - 1; i >= 0; i--) {
    if (tiers[i].nodes.some(hasCpu)) return tiers[i].adistanceStart + MEMTIER_CHUNK_SIZE - 1
  }
  return 0
}
