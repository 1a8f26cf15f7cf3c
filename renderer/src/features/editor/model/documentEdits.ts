import type { LinkKind } from '../../../../../shared/formats'
import { defaultComponent, ID_PREFIX } from './componentDefaults'
import type {
  DraftKind,
  DraftLink,
  EditorDocument,
  FlowPosition,
  TopologyDraft,
} from './editorDocument'
import { nextFreeId } from './ids'

/*
 * Pure edits of the editor document. Each returns a new document and leaves the input untouched,
 * so history snapshots can share structure safely.
 */

export function usedIds(topology: TopologyDraft): Set<string> {
  return new Set(topology.components.map((c) => c.id))
}

export function addComponent(
  doc: EditorDocument,
  kind: DraftKind,
  position: FlowPosition,
): { doc: EditorDocument; id: string } {
  const id = nextFreeId(ID_PREFIX[kind], usedIds(doc.topology))
  const component = defaultComponent(kind, id)
  return {
    id,
    doc: {
      topology: { ...doc.topology, components: [...doc.topology.components, component] },
      positions: { ...doc.positions, [id]: { x: position.x, y: position.y } },
    },
  }
}

/** Removes components (and every link touching them) and links by index. */
export function removeElements(
  doc: EditorDocument,
  componentIds: Iterable<string>,
  linkIndices: Iterable<number> = [],
): EditorDocument {
  const gone = new Set(componentIds)
  const goneLinks = new Set(linkIndices)
  const components = doc.topology.components.filter((c) => !gone.has(c.id))
  const links = doc.topology.links.filter(
    (l, i) => !goneLinks.has(i) && !gone.has(l.a) && !gone.has(l.b),
  )
  if (
    components.length === doc.topology.components.length &&
    links.length === doc.topology.links.length
  )
    return doc
  const positions = { ...doc.positions }
  for (const id of gone) delete positions[id]
  return { topology: { ...doc.topology, components, links }, positions }
}

/** Changes a component's id and every reference to it (links, positions). */
export function renameComponent(doc: EditorDocument, oldId: string, newId: string): EditorDocument {
  if (oldId === newId) return doc
  const components = doc.topology.components.map((c) => (c.id === oldId ? { ...c, id: newId } : c))
  const links = doc.topology.links.map((l) => ({
    ...l,
    a: l.a === oldId ? newId : l.a,
    b: l.b === oldId ? newId : l.b,
  }))
  const positions = { ...doc.positions }
  if (positions[oldId]) {
    positions[newId] = positions[oldId]
    delete positions[oldId]
  }
  return { topology: { ...doc.topology, components, links }, positions }
}

/** Immutable set of `obj.path[0].path[1]…`; `undefined` removes the key (an emptied field). */
export function setIn<T>(obj: T, path: readonly string[], value: unknown): T {
  if (path.length === 0) return value as T
  const [head, ...rest] = path
  const source = (obj ?? {}) as Record<string, unknown>
  const copy: Record<string, unknown> = { ...source }
  if (rest.length === 0) {
    if (value === undefined) delete copy[head]
    else copy[head] = value
  } else {
    copy[head] = setIn(source[head], rest, value)
  }
  return copy as T
}

/** Sets a field of a component other than its id (use renameComponent for that). */
export function setComponentField(
  doc: EditorDocument,
  id: string,
  path: readonly string[],
  value: unknown,
): EditorDocument {
  if (path[0] === 'id') return typeof value === 'string' ? renameComponent(doc, id, value) : doc
  const components = doc.topology.components.map((c) => (c.id === id ? setIn(c, path, value) : c))
  return { ...doc, topology: { ...doc.topology, components } }
}

export function addLink(doc: EditorDocument, link: DraftLink): EditorDocument {
  return { ...doc, topology: { ...doc.topology, links: [...doc.topology.links, link] } }
}

export function setLinkField(
  doc: EditorDocument,
  index: number,
  field: keyof DraftLink,
  value: unknown,
): EditorDocument {
  const links = doc.topology.links.map((l, i) => (i === index ? setIn(l, [field], value) : l))
  return { ...doc, topology: { ...doc.topology, links } }
}

/** Changes a link's kind, keeping its ends and latency and filling what the new kind needs. */
export function changeLinkKind(
  doc: EditorDocument,
  index: number,
  kind: LinkKind,
  defaults: DraftLink,
): EditorDocument {
  const links = doc.topology.links.map((l, i) =>
    // The new kind's own latency and bandwidth: a PCIe link keeping NVLink-C2C's figures would
    // be neither.
    i === index ? { ...defaults, a: l.a, b: l.b, kind } : l,
  )
  return { ...doc, topology: { ...doc.topology, links } }
}

export function setTopologyField(
  doc: EditorDocument,
  field: 'name' | 'description' | 'source',
  value: string | undefined,
): EditorDocument {
  return { ...doc, topology: setIn(doc.topology, [field], value) }
}

export function moveComponents(
  doc: EditorDocument,
  moved: Record<string, FlowPosition>,
): EditorDocument {
  const changed = Object.entries(moved).some(
    ([id, p]) => doc.positions[id]?.x !== p.x || doc.positions[id]?.y !== p.y,
  )
  if (!changed) return doc
  return { ...doc, positions: { ...doc.positions, ...moved } }
}
