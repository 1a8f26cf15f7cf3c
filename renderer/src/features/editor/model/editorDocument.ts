import { formatTag, type TopologyInput } from '../../../../../shared/formats'

/** Components as a file may hold them before defaults apply; the editor edits these drafts. */
export type DraftComponent = TopologyInput['components'][number]
export type DraftLink = NonNullable<TopologyInput['links']>[number]
export type DraftKind = DraftComponent['kind']

/** The topology being edited: always a `tierlab.topology/v1` object, possibly invalid. */
export interface TopologyDraft {
  format: string
  name: string
  description?: string
  source?: string
  components: DraftComponent[]
  links: DraftLink[]
}

export interface FlowPosition {
  x: number
  y: number
}

/**
 * What undo/redo snapshots: the format document plus canvas positions kept beside it (keyed by
 * component id), so an exported file holds no layout and stays a clean format file.
 */
export interface EditorDocument {
  topology: TopologyDraft
  positions: Record<string, FlowPosition>
}

export function emptyTopology(name = 'Untitled machine'): TopologyDraft {
  return { format: formatTag('topology'), name, components: [], links: [] }
}

export function emptyDocument(name?: string): EditorDocument {
  return { topology: emptyTopology(name), positions: {} }
}

/** A loaded file (or saved topology) as a draft; positions are laid out by the caller. */
export function draftFromTopology(topology: TopologyInput): TopologyDraft {
  const copy = structuredClone(topology) as TopologyDraft
  copy.links = copy.links ?? []
  return copy
}

/** The file to export or save: the draft without editor state, with a stable key order. */
export function exportTopology(draft: TopologyDraft): TopologyDraft {
  const out: TopologyDraft = { format: draft.format, name: draft.name } as TopologyDraft
  if (draft.description !== undefined) out.description = draft.description
  if (draft.source !== undefined) out.source = draft.source
  out.components = structuredClone(draft.components)
  out.links = structuredClone(draft.links)
  return out
}

export function exportFileName(draft: TopologyDraft): string {
  const slug = draft.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return `${slug || 'topology'}.topology.json`
}

export function componentIndex(draft: TopologyDraft, id: string): number {
  return draft.components.findIndex((c) => c.id === id)
}
