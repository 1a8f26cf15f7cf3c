import { useVueFlow } from '@vue-flow/core'
import type { DraftKind } from '../model/editorDocument'
import type { EditorStore } from '../editorStore'
import { NODE_SIZE } from '../model/nodeGeometry'

/** The drag payload type, as in Vue Flow's drag-and-drop example. */
export const PALETTE_MIME = 'application/vueflow'
const KINDS: readonly DraftKind[] = ['socket', 'cxl-memory', 'cxl-switch', 'gpu']

export function startPaletteDrag(event: DragEvent, kind: DraftKind): void {
  if (!event.dataTransfer) return
  event.dataTransfer.setData(PALETTE_MIME, kind)
  event.dataTransfer.effectAllowed = 'copy'
}

/** Drop handlers for the canvas: a palette item becomes a component under the pointer. */
export function usePaletteDrop(store: EditorStore) {
  const { screenToFlowCoordinate } = useVueFlow()

  function onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes(PALETTE_MIME)) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'copy'
  }

  function onDrop(event: DragEvent): void {
    const kind = event.dataTransfer?.getData(PALETTE_MIME) as DraftKind | undefined
    if (!kind || !KINDS.includes(kind)) return
    event.preventDefault()
    const at = screenToFlowCoordinate({ x: event.clientX, y: event.clientY })
    const size = NODE_SIZE[kind]
    // Centre the new box on the pointer.
    store.addComponent(kind, {
      x: Math.round(at.x - size.width / 2),
      y: Math.round(at.y - size.height / 2),
    })
  }

  return { onDragOver, onDrop }
}
