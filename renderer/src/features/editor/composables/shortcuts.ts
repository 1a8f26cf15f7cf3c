export type EditorCommand = 'undo' | 'redo' | 'copy' | 'paste' | 'delete' | 'save'

export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

/**
 * The editor command a key press stands for: Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z or Ctrl+Y redo,
 * Ctrl/⌘+C copy, Ctrl/⌘+V paste, Ctrl/⌘+S save, Delete (or Backspace) delete.
 */
export function commandForKey(e: KeyLike): EditorCommand | null {
  const mod = e.ctrlKey || e.metaKey
  const key = e.key.toLowerCase()
  if (e.altKey) return null
  if (mod && key === 'z') return e.shiftKey ? 'redo' : 'undo'
  if (mod && key === 'y' && !e.shiftKey) return 'redo'
  if (mod && !e.shiftKey && key === 'c') return 'copy'
  if (mod && !e.shiftKey && key === 'v') return 'paste'
  if (mod && !e.shiftKey && key === 's') return 'save'
  if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) return 'delete'
  return null
}
