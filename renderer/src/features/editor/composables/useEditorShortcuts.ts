import { onBeforeUnmount, onMounted } from 'vue'
import type { EditorStore } from '../editorStore'
import { commandForKey } from './shortcuts'
import { isTextEntry } from '../../../lib/textEntry'

/** Keyboard commands for the editor while it is mounted (window-wide, not in text fields). */
export function useEditorShortcuts(store: EditorStore): void {
  function onKey(event: KeyboardEvent): void {
    if (isTextEntry(event.target)) return
    const command = commandForKey(event)
    if (!command) return
    event.preventDefault()
    switch (command) {
      case 'undo':
        return store.undo()
      case 'redo':
        return store.redo()
      case 'copy':
        store.copy()
        return
      case 'paste':
        return store.paste()
      case 'delete':
        return store.deleteSelection()
      case 'save':
        void store.save()
        return
    }
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
