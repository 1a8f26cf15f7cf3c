import dagre from '@dagrejs/dagre'
import type { DraftKind, FlowPosition, TopologyDraft } from './editorDocument'
import { NODE_SIZE } from './nodeGeometry'

/**
 * Compute (sockets, GPUs) on top, switches below, memory-only devices at the bottom: the lstopo
 * convention of devices hanging below their host (formats-and-ux.md §4.2).
 */
const LEVEL: Record<DraftKind, number> = { socket: 0, gpu: 1, 'cxl-switch': 2, 'cxl-memory': 3 }

/** Memory-only devices under one host are packed this many to a row, as lstopo wraps boxes. */
export const LEAF_COLUMNS = 4
const GAP = 20

/**
 * Memory expanders linked to exactly one other component hang below it in a grid; dagre then
 * places one block per host instead of every expander side by side (a 200-component machine
 * would otherwise be one row tens of thousands of pixels wide, and slow to rank).
 */
function leafGroups(topology: TopologyDraft): Map<string, string[]> {
  const kindOf = new Map(topology.components.map((c) => [c.id, c.kind]))
  const neighbours = new Map<string, Set<string>>()
  for (const l of topology.links) {
    if (!kindOf.has(l.a) || !kindOf.has(l.b) || l.a === l.b) continue
    if (!neighbours.has(l.a)) neighbours.set(l.a, new Set())
    if (!neighbours.has(l.b)) neighbours.set(l.b, new Set())
    neighbours.get(l.a)!.add(l.b)
    neighbours.get(l.b)!.add(l.a)
  }
  const groups = new Map<string, string[]>()
  for (const c of topology.components) {
    const near = neighbours.get(c.id)
    if (c.kind !== 'cxl-memory' || near?.size !== 1) continue
    const [host] = near
    if (kindOf.get(host) === 'cxl-memory') continue
    groups.set(host, [...(groups.get(host) ?? []), c.id])
  }
  return groups
}

const leafSize = NODE_SIZE['cxl-memory']

function gridSize(count: number): { width: number; height: number } {
  const cols = Math.min(count, LEAF_COLUMNS)
  const rows = Math.ceil(count / LEAF_COLUMNS)
  return {
    width: cols * leafSize.width + (cols - 1) * GAP,
    height: rows * leafSize.height + (rows - 1) * GAP,
  }
}

/** New positions for every component (top-left corners), keyed by component id. */
export function autoLayout(topology: TopologyDraft): Record<string, FlowPosition> {
  const groups = leafGroups(topology)
  const grouped = new Set([...groups.values()].flat())
  const g = new dagre.graphlib.Graph({ multigraph: true })
  // nodesep leaves room between peers (socket–socket) for a link label such as
  // 'UPI · 54 ns · 55.7 GB/s' (about 130 px at the canvas's 10 px label font).
  g.setGraph({ rankdir: 'TB', nodesep: 140, ranksep: 80, marginx: 20, marginy: 20 })
  g.setDefaultEdgeLabel(() => ({}))
  const kindOf = new Map<string, DraftKind>()
  for (const c of topology.components) {
    kindOf.set(c.id, c.kind)
    if (!grouped.has(c.id)) g.setNode(c.id, { ...NODE_SIZE[c.kind] })
  }
  for (const [host, leaves] of groups) {
    g.setNode(`leaves:${host}`, gridSize(leaves.length))
    g.setEdge(host, `leaves:${host}`, { minlen: 1 }, `leaves:${host}`)
  }
  topology.links.forEach((link, i) => {
    const ka = kindOf.get(link.a)
    const kb = kindOf.get(link.b)
    if (!ka || !kb || link.a === link.b || grouped.has(link.a) || grouped.has(link.b)) return
    // Peers (socket–socket) stay on one rank; otherwise point from host to device.
    if (LEVEL[ka] === LEVEL[kb]) return
    const [from, to] = LEVEL[ka] < LEVEL[kb] ? [link.a, link.b] : [link.b, link.a]
    g.setEdge(from, to, { minlen: 1 }, `l${i}`)
  })
  dagre.layout(g)
  const out: Record<string, FlowPosition> = {}
  for (const c of topology.components) {
    if (grouped.has(c.id)) continue
    const n = g.node(c.id)
    const size = NODE_SIZE[c.kind]
    // dagre gives centres; Vue Flow positions are top-left corners.
    out[c.id] = { x: Math.round(n.x - size.width / 2), y: Math.round(n.y - size.height / 2) }
  }
  for (const [host, leaves] of groups) {
    const box = g.node(`leaves:${host}`)
    const size = gridSize(leaves.length)
    const left = box.x - size.width / 2
    const top = box.y - size.height / 2
    leaves.forEach((id, i) => {
      out[id] = {
        x: Math.round(left + (i % LEAF_COLUMNS) * (leafSize.width + GAP)),
        y: Math.round(top + Math.floor(i / LEAF_COLUMNS) * (leafSize.height + GAP)),
      }
    })
  }
  return out
}
