import type { TopologyAnalysis } from '../../../../../shared/analysis'
import { tierColor } from '../../../lib/tier-colors'

/** What a node's badge shows: NUMA node id and memory tier, in the app's colour for that tier. */
export interface NumaBadge {
  node: number
  tier: number
  /** Saturated tier colour (renderer/src/lib/tier-colors.ts, by the tier.s rank in the machine). */
  colour: string
  topTier: boolean
}

/** Badge per component id from the analysis. */
export function badgesByComponent(analysis: TopologyAnalysis | null): Map<string, NumaBadge> {
  const out = new Map<string, NumaBadge>()
  if (!analysis) return out
  for (const n of analysis.nodes) {
    out.set(n.component, {
      node: n.node,
      tier: n.tier,
      colour: tierColor(n.tier, analysis.tiers).strong,
      topTier: n.topTier,
    })
  }
  return out
}
