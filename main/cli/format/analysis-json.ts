import type { TopologyAnalysis } from '../../../shared/analysis'

/**
 * `tierlab analyze --json` (DESIGN.md §8): the contract's keys first, in its order, then the rest
 * of the analysis as extras.
 */
export function analysisJson(name: string, analysis: TopologyAnalysis) {
  return {
    nodes: analysis.nodes.map((n) => ({
      node: n.node,
      component: n.component,
      kind: n.kind,
      cpus: n.cpus,
      capacityBytes: n.capacityBytes,
      access1: n.access1,
      adistance: n.adistance,
      tier: n.tier,
      media: n.media,
      access0: n.access0,
      topTier: n.topTier,
      adistanceSource: n.adistanceSource,
    })),
    distance: analysis.distance,
    tiers: analysis.tiers.map((t) => ({
      tier: t.tier,
      nodes: t.nodes,
      adistanceStart: t.adistanceStart,
    })),
    demotionTargets: analysis.demotionTargets,
    warnings: analysis.warnings,
    name,
    topTierAdistance: analysis.topTierAdistance,
    demotionFallback: analysis.demotionFallback,
    dramReference: analysis.dramReference,
    initiators: analysis.initiators,
    paths: analysis.paths,
  }
}
