import { MarkerType, type Edge, type Node } from '@vue-flow/core'
import type { TopologyAnalysis } from '../../../../../shared/analysis'
import type { DraftComponent, DraftLink, EditorDocument, FlowPosition } from './editorDocument'
import { linkLabel } from './linkDefaults'
import { facingSide } from './nodeGeometry'
import { badgesByComponent, type NumaBadge } from './tierColours'

export interface ComponentNodeData {
  component: DraftComponent
  /** NUMA node and tier from the last successful analysis, or null. */
  badge: NumaBadge | null
  /** Validation problems in this component's fields. */
  issueCount: number
}

export interface LinkEdgeData {
  role: 'link'
  linkIndex: number
  link: DraftLink
}
export interface DemotionEdgeData {
  role: 'demotion'
  fromNode: number
  toNode: number
}
export type EditorEdgeData = LinkEdgeData | DemotionEdgeData

export interface EditorSelection {
  components: readonly string[]
  links: readonly number[]
}

export const LINK_EDGE_PREFIX = 'link:'
/**
 * Above this many demotion arrows only the selected components' arrows are drawn: a large
 * machine has thousands (every DRAM node to every expander of the next tier), which would bury
 * the links and slow the canvas down.
 */
export const DEMOTION_ARROW_LIMIT = 24
export const DEMOTION_EDGE_PREFIX = 'demote:'

export const LINK_COLOURS: Record<DraftLink['kind'], string> = {
  upi: '#495057',
  cxl: '#1c7ed6',
  pcie: '#7048e8',
  'nvlink-c2c': '#2f9e44',
}

const ORIGIN: FlowPosition = { x: 0, y: 0 }

/** Document → Vue Flow nodes: one per component, typed by kind, at its side-map position. */
export function toFlowNodes(
  doc: EditorDocument,
  analysis: TopologyAnalysis | null,
  selection: EditorSelection = { components: [], links: [] },
  issueCounts: ReadonlyMap<string, number> = new Map(),
): Node<ComponentNodeData>[] {
  const badges = badgesByComponent(analysis)
  const selected = new Set(selection.components)
  return doc.topology.components.map((component) => ({
    id: component.id,
    type: component.kind,
    position: { ...(doc.positions[component.id] ?? ORIGIN) },
    selected: selected.has(component.id),
    data: {
      component,
      badge: badges.get(component.id) ?? null,
      issueCount: issueCounts.get(component.id) ?? 0,
    },
  }))
}

function handles(doc: EditorDocument, a: string, b: string) {
  const kindOf = (id: string) => doc.topology.components.find((c) => c.id === id)?.kind
  const ka = kindOf(a)
  const kb = kindOf(b)
  if (!ka || !kb) return {}
  const pa = { ...(doc.positions[a] ?? ORIGIN), kind: ka }
  const pb = { ...(doc.positions[b] ?? ORIGIN), kind: kb }
  return { sourceHandle: facingSide(pa, pb), targetHandle: facingSide(pb, pa) }
}

/**
 * Document → Vue Flow edges: one per link (labelled with latency and bandwidth), plus the
 * analysis's preferred demotion targets as dashed arrows. Links naming a missing component
 * are left out (the properties panel reports them).
 */
export function toFlowEdges(
  doc: EditorDocument,
  analysis: TopologyAnalysis | null,
  selection: EditorSelection = { components: [], links: [] },
): Edge<EditorEdgeData>[] {
  const ids = new Set(doc.topology.components.map((c) => c.id))
  const selectedLinks = new Set(selection.links)
  const edges: Edge<EditorEdgeData>[] = []
  doc.topology.links.forEach((link, linkIndex) => {
    if (!ids.has(link.a) || !ids.has(link.b) || link.a === link.b) return
    edges.push({
      id: `${LINK_EDGE_PREFIX}${linkIndex}`,
      source: link.a,
      target: link.b,
      ...handles(doc, link.a, link.b),
      // LinkEdge.vue draws it: the label on an opaque box, slid along the curve so labels of
      // links meeting at one component do not cover each other (model/linkLabels.ts).
      type: 'link',
      label: linkLabel(link),
      // Edge input has no `selected` in Vue Flow 1.x; the class marks the store's selection.
      class: `link-edge link-${link.kind}${selectedLinks.has(linkIndex) ? ' link-selected' : ''}`,
      style: { stroke: LINK_COLOURS[link.kind] ?? '#495057', strokeWidth: 2 },
      data: { role: 'link', linkIndex, link },
    })
  })
  if (analysis) {
    const componentOf = new Map(analysis.nodes.map((n) => [n.node, n.component]))
    const onlySelected = demotionArrowCount(analysis) > DEMOTION_ARROW_LIMIT
    const selected = new Set(selection.components)
    for (const [from, targets] of Object.entries(analysis.demotionTargets)) {
      const source = componentOf.get(Number(from))
      if (onlySelected && (!source || !selected.has(source))) continue
      for (const to of targets) {
        const target = componentOf.get(to)
        if (!source || !target || !ids.has(source) || !ids.has(target)) continue
        edges.push({
          id: `${DEMOTION_EDGE_PREFIX}${from}:${to}`,
          source,
          target,
          ...handles(doc, source, target),
          type: 'demotion',
          class: 'demotion-edge',
          selectable: false,
          focusable: false,
          animated: true,
          markerEnd: { type: MarkerType.ArrowClosed, color: '#c92a2a' },
          style: { stroke: '#c92a2a', strokeDasharray: '6 4', strokeWidth: 1.5 },
          data: { role: 'demotion', fromNode: Number(from), toNode: to },
        })
      }
    }
  }
  return edges
}

export function demotionArrowCount(analysis: TopologyAnalysis | null): number {
  if (!analysis) return 0
  return Object.values(analysis.demotionTargets).reduce((n, targets) => n + targets.length, 0)
}

/** Vue Flow nodes → the position side map (after a drag, or to persist the layout). */
export function positionsFromNodes(
  nodes: ReadonlyArray<Pick<Node, 'id' | 'position'>>,
): Record<string, FlowPosition> {
  const out: Record<string, FlowPosition> = {}
  for (const n of nodes) out[n.id] = { x: Math.round(n.position.x), y: Math.round(n.position.y) }
  return out
}

/** The link index an edge id stands for, or null for demotion arrows and foreign ids. */
export function linkIndexOfEdge(edgeId: string): number | null {
  if (!edgeId.startsWith(LINK_EDGE_PREFIX)) return null
  const n = Number(edgeId.slice(LINK_EDGE_PREFIX.length))
  return Number.isInteger(n) && n >= 0 ? n : null
}
