import { ref } from 'vue'
import type { RunColumn } from '../model/runColumns'
import {
  LAYOUT_KEY,
  parseLayout,
  resizeColumn,
  toggleColumn,
  type ColumnLayout,
} from '../model/columnLayout'

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

/**
 * The archive's columns as the user arranged them (shown, widths), remembered across reloads.
 * Resizing follows the pointer from a header's grip; the width is stored when the drag ends.
 */
export function useColumnLayout() {
  const layout = ref<ColumnLayout>(parseLayout(storage()?.getItem(LAYOUT_KEY) ?? null))
  const save = () => {
    try {
      storage()?.setItem(LAYOUT_KEY, JSON.stringify(layout.value))
    } catch {
      // Storage full or disabled: the layout lasts until the reload.
    }
  }

  function toggle(column: RunColumn): void {
    layout.value = toggleColumn(layout.value, column)
    save()
  }

  function startResize(column: RunColumn, event: PointerEvent): void {
    event.preventDefault()
    event.stopPropagation()
    const startX = event.clientX
    const startPx = layout.value.widths[column]
    const move = (e: PointerEvent) => {
      layout.value = resizeColumn(layout.value, column, startPx + e.clientX - startX)
    }
    const end = () => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', end)
      save()
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', end)
  }

  return { layout, toggle, startResize }
}
