import type { AnalysedLink, AnalysedPath } from '../../../shared/analysis'
import type { Component, Link, Topology } from '../../../shared/formats/topology'
import { gbpsToMBps, linkBandwidthGBps } from '../../../shared/units'
import { listInitiators, numberNodes } from './numbering'

/** Float noise in sums of latencies must not decide which path is best. */
const EPSILON = 1e-9

/** A link's bandwidth per direction: as written, or from generation and lanes ([CXL-AC], [PCIE]). */
export function bandwidthOfLink(link: Link): number {
  if (link.bandwidthGBps !== undefined) return link.bandwidthGBps
  // The schema guarantees generation and lanes when bandwidthGBps is absent.
  return linkBandwidthGBps(link.generation as number, link.lanes as number)
}

interface Label {
  /** Links' and traversed switches' latency, ns (the device's own latency is added at the end). */
  pathLatencyNs: number
  /** Minimum bandwidth of the links so far, GB/s (Infinity before the first link). */
  bottleneckGBps: number
  hops: string[]
  links: number[]
}

/** Lower latency first, then higher bandwidth, then fewer hops. Isotone, so Dijkstra is exact. */
function better(x: Label, y: Label): boolean {
  if (x.pathLatencyNs < y.pathLatencyNs - EPSILON) return true
  if (x.pathLatencyNs > y.pathLatencyNs + EPSILON) return false
  if (x.bottleneckGBps > y.bottleneckGBps + EPSILON) return true
  if (x.bottleneckGBps < y.bottleneckGBps - EPSILON) return false
  return x.hops.length < y.hops.length
}

/**
 * Best route from one initiator to every component. A path may pass through sockets (remote DRAM
 * over UPI, a device behind the other socket) and switches, never through a memory expander or a
 * GPU other than the initiator itself. Links are bidirectional.
 */
function routesFrom(topology: Topology, start: Component): Map<string, Label> {
  const byId = new Map(topology.components.map((c) => [c.id, c]))
  const adjacency = new Map<string, { to: string; index: number }[]>()
  for (const c of topology.components) adjacency.set(c.id, [])
  topology.links.forEach((l, index) => {
    adjacency.get(l.a)?.push({ to: l.b, index })
    adjacency.get(l.b)?.push({ to: l.a, index })
  })
  const order = new Map(topology.components.map((c, i) => [c.id, i]))
  const best = new Map<string, Label>([
    [start.id, { pathLatencyNs: 0, bottleneckGBps: Infinity, hops: [start.id], links: [] }],
  ])
  const settled = new Set<string>()
  for (;;) {
    let current: string | null = null
    for (const [id, label] of best) {
      if (settled.has(id)) continue
      const cur = current === null ? null : (best.get(current) as Label)
      if (
        cur === null ||
        better(label, cur) ||
        (!better(cur, label) &&
          (order.get(id) as number) < (order.get(current as string) as number))
      )
        current = id
    }
    if (current === null) break
    settled.add(current)
    const component = byId.get(current) as Component
    const transit =
      current === start.id || component.kind === 'socket' || component.kind === 'cxl-switch'
    if (!transit) continue
    const here = best.get(current) as Label
    for (const { to, index } of adjacency.get(current) ?? []) {
      if (settled.has(to)) continue
      const link = topology.links[index]
      const next = byId.get(to) as Component
      // A CXL switch forwards a host's requests down to its devices, never across to another host
      // (each upstream port is its own virtual switch): no socket → switch → socket shortcut. A
      // device behind the switch (a GPU initiator) still reaches the hosts upstream.
      if (
        component.kind === 'cxl-switch' &&
        next.kind === 'socket' &&
        here.hops.some((h) => byId.get(h)?.kind === 'socket')
      )
        continue
      const switchNs = next.kind === 'cxl-switch' ? next.latencyNs : 0
      const candidate: Label = {
        pathLatencyNs: here.pathLatencyNs + link.latencyNs + switchNs,
        bottleneckGBps: Math.min(here.bottleneckGBps, bandwidthOfLink(link)),
        hops: [...here.hops, to],
        links: [...here.links, index],
      }
      const known = best.get(to)
      if (!known || better(candidate, known)) best.set(to, candidate)
    }
  }
  return best
}

export interface TopologyPaths {
  /** Best path for every initiator → reachable node, initiators in listInitiators order. */
  paths: AnalysedPath[]
  /** Every link in file order with the best paths crossing it. */
  links: AnalysedLink[]
}

/**
 * Best path for every initiator → node pair (DESIGN.md §2): latency = the device's own latency +
 * every traversed link's latencyNs + every traversed switch's latencyNs; bandwidth per direction =
 * min(device bandwidth, every traversed link's bandwidth) (tiering-facts.md §1 [CXL-AC]: latency is
 * the sum of the parts, bandwidth the minimum). Values are exact, not rounded: the engine uses them.
 * Best = lowest read latency, ties by highest read bandwidth, then fewest hops.
 */
export function computePaths(topology: Topology): TopologyPaths {
  const nodes = numberNodes(topology)
  const byId = new Map(topology.components.map((c) => [c.id, c]))
  const paths: AnalysedPath[] = []
  for (const initiator of listInitiators(topology, nodes)) {
    const routes = routesFrom(topology, byId.get(initiator.component) as Component)
    for (const n of nodes) {
      const route = routes.get(n.component.id)
      if (!route) continue
      const m = n.component.memory
      paths.push({
        initiator: initiator.component,
        node: n.node,
        hops: route.hops,
        links: route.links,
        readLatencyNs: m.readLatencyNs + route.pathLatencyNs,
        writeLatencyNs: m.writeLatencyNs + route.pathLatencyNs,
        readBandwidthMBps: gbpsToMBps(Math.min(m.readBandwidthGBps, route.bottleneckGBps)),
        writeBandwidthMBps: gbpsToMBps(Math.min(m.writeBandwidthGBps, route.bottleneckGBps)),
      })
    }
  }
  const links: AnalysedLink[] = topology.links.map((l, index) => ({
    link: index,
    a: l.a,
    b: l.b,
    kind: l.kind,
    latencyNs: l.latencyNs,
    bandwidthGBps: bandwidthOfLink(l),
    crossings: [],
    nodes: [],
  }))
  for (const p of paths) {
    p.links.forEach((index, step) => {
      links[index].crossings.push({ initiator: p.initiator, node: p.node, from: p.hops[step] })
    })
  }
  for (const l of links)
    l.nodes = [...new Set(l.crossings.map((c) => c.node))].sort((x, y) => x - y)
  return { paths, links }
}
