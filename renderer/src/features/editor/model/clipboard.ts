import type { DraftComponent, DraftLink, EditorDocument, FlowPosition } from './editorDocument'
import { usedIds } from './documentEdits'
import { idPrefix, nextFreeId } from './ids'

/** What Ctrl+C holds: the selected components, the links among them, and where they were. */
export interface ClipboardContent {
  components: DraftComponent[]
  links: DraftLink[]
  positions: Record<string, FlowPosition>
}

export function copySelection(doc: EditorDocument, ids: Iterable<string>): ClipboardContent | null {
  const wanted = new Set(ids)
  const components = doc.topology.components.filter((c) => wanted.has(c.id))
  if (components.length === 0) return null
  const links = doc.topology.links.filter((l) => wanted.has(l.a) && wanted.has(l.b))
  const positions: Record<string, FlowPosition> = {}
  for (const c of components) if (doc.positions[c.id]) positions[c.id] = doc.positions[c.id]
  return structuredClone({ components, links, positions })
}

/** Pasted copies sit this far right and down of their originals, in flow pixels. */
export const PASTE_OFFSET = 40

/**
 * Adds copies of the clipboard with new ids (same prefix, smallest free number) and the links
 * among them re-pointed at the copies. Returns the new ids in clipboard order.
 */
export function pasteClipboard(
  doc: EditorDocument,
  clip: ClipboardContent,
  offset = PASTE_OFFSET,
): { doc: EditorDocument; ids: string[] } {
  const used = usedIds(doc.topology)
  const rename = new Map<string, string>()
  const components: DraftComponent[] = []
  const positions = { ...doc.positions }
  for (const original of clip.components) {
    const id = nextFreeId(idPrefix(original.id), used)
    used.add(id)
    rename.set(original.id, id)
    components.push({ ...structuredClone(original), id })
    const at = clip.positions[original.id] ?? { x: 0, y: 0 }
    positions[id] = { x: at.x + offset, y: at.y + offset }
  }
  const links = clip.links.map((l) => ({
    ...structuredClone(l),
    a: rename.get(l.a) ?? l.a,
    b: rename.get(l.b) ?? l.b,
  }))
  return {
    ids: [...rename.values()],
    doc: {
      topology: {
        ...doc.topology,
        components: [...doc.topology.components, ...components],
        links: [...doc.topology.links, ...links],
      },
      positions,
    },
  }
}
