import type { TopologyAnalysis } from './analysis'

/**
 * An analysis in the machine's own NUMA node ids. Tierlab numbers nodes sockets first (DESIGN.md
 * §8), so an imported machine whose ids are not 0..n-1 in that order (ids 0,1,4,5, or CXL nodes
 * numbered before a socket) would be reported under ids it does not have. With
 * `measured.machineNodes` (Tierlab node i is machine node machineNodes[i]) every node id becomes the
 * machine's, nodes are listed in the machine's id order and the distance rows and columns follow,
 * so `analyze` prints the SLIT as `numactl --hardware` did. Without it (a drawn topology), or when
 * the ids already match, the analysis is returned as it is.
 */
export function inMachineNumbering(
  analysis: TopologyAnalysis,
  machineNodes: readonly number[] | undefined,
): TopologyAnalysis {
  const n = analysis.nodes.length
  if (
    !machineNodes ||
    machineNodes.length !== n ||
    new Set(machineNodes).size !== n ||
    machineNodes.every((id, i) => id === i)
  )
    return analysis
  const id = (node: number) => machineNodes[node] ?? node
  const ids = (nodes: number[]) => nodes.map(id).sort((a, b) => a - b)
  // Tierlab node indexes in the machine's id order.
  const order = analysis.nodes.map((x) => x.node).sort((a, b) => id(a) - id(b))
  const targets = (t: Record<string, number[]>) =>
    Object.fromEntries(
      Object.entries(t)
        .map(([from, to]) => [id(Number(from)), ids(to)] as const)
        .sort((a, b) => a[0] - b[0]),
    )
  const byNode = new Map(analysis.nodes.map((x) => [x.node, x]))
  return {
    ...analysis,
    nodes: order.map((i) => ({
      ...(byNode.get(i) as (typeof analysis.nodes)[number]),
      node: id(i),
    })),
    distance: order.map((i) => order.map((j) => analysis.distance[i][j])),
    tiers: analysis.tiers.map((t) => ({ ...t, nodes: ids(t.nodes) })),
    demotionTargets: targets(analysis.demotionTargets),
    demotionFallback: targets(analysis.demotionFallback),
    initiators: analysis.initiators.map((x) => ({
      ...x,
      node: x.node === null ? null : id(x.node),
    })),
    paths: analysis.paths.map((p) => ({ ...p, node: id(p.node) })),
    links: analysis.links.map((l) => ({
      ...l,
      crossings: l.crossings.map((c) => ({ ...c, node: id(c.node) })),
      nodes: ids(l.nodes),
    })),
    dramReferenceNode: analysis.dramReferenceNode === null ? null : id(analysis.dramReferenceNode),
  }
}
