import type { AnalysedTier } from '../../../shared/analysis'

/** include/linux/topology.h */
export const PENALTY_FOR_NODE_WITH_CPUS = 1
/** Any constant works for the multiplication below while node_load is 0; CONFIG_NODES_SHIFT=10. */
const MAX_NUMNODES = 1024

export interface DemotionInput {
  /** N_MEMORY nodes, ascending. */
  memoryNodes: number[]
  hasCpu: (node: number) => boolean
  distance: number[][]
  tiers: AnalysedTier[]
}

/**
 * find_next_best_node() ([PA] mm/page_alloc.c) with node_load = 0: the unused N_MEMORY node with
 * the smallest (node_distance + (n < node) + PENALTY_FOR_NODE_WITH_CPUS if n has CPUs), ties to
 * the lowest id (strict <). Marks it used. The "local node first" shortcut never fires here: the
 * caller always puts `node` in `used`.
 */
export function findNextBestNode(node: number, used: Set<number>, input: DemotionInput): number {
  let minVal = Number.MAX_SAFE_INTEGER
  let best = -1
  for (const n of input.memoryNodes) {
    if (used.has(n)) continue
    let val = input.distance[node][n]
    val += n < node ? 1 : 0
    if (input.hasCpu(n)) val += PENALTY_FOR_NODE_WITH_CPUS
    val *= MAX_NUMNODES
    if (val < minVal) {
      minVal = val
      best = n
    }
  }
  if (best >= 0) used.add(best)
  return best
}

/**
 * establish_demotion_targets() ([MT] mm/memory-tiers.c). For every N_MEMORY node not in the last
 * tier: mark every memory node outside the next lower tier as used, then take nodes from
 * find_next_best_node() while their node_distance equals the first one's; the loop stops at the
 * first node whose distance differs, even if a later one would match (the penalties reorder).
 * Fallback = lower_tier_mask: every node in a slower tier. Keys are node ids as strings; a node in
 * the last tier gets empty lists (the kernel prints "null").
 */
export function demotionTargets(input: DemotionInput): {
  preferred: Record<string, number[]>
  fallback: Record<string, number[]>
} {
  const tierIndex = new Map<number, number>()
  input.tiers.forEach((t, i) => t.nodes.forEach((n) => tierIndex.set(n, i)))
  const preferred: Record<string, number[]> = {}
  const fallback: Record<string, number[]> = {}
  for (const node of input.memoryNodes) {
    const index = tierIndex.get(node) as number
    fallback[node] = input.tiers
      .slice(index + 1)
      .flatMap((t) => t.nodes)
      .sort((a, b) => a - b)
    preferred[node] = []
    if (index === input.tiers.length - 1) continue
    const lower = new Set(input.tiers[index + 1].nodes)
    const used = new Set(input.memoryNodes.filter((n) => !lower.has(n)))
    let bestDistance = -1
    for (;;) {
      const target = findNextBestNode(node, used, input)
      if (target < 0) break
      const distance = input.distance[node][target]
      if (distance !== bestDistance && bestDistance !== -1) break
      bestDistance = distance
      preferred[node].push(target)
    }
    preferred[node].sort((a, b) => a - b)
  }
  return { preferred, fallback }
}
