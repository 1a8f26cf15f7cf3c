/**
 * Typing in a field keeps its own undo, copy and delete keys. Shared by the shell's section keys
 * and the editor's shortcuts, so the shell need not reach into the editor feature.
 */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false
  return (target as Element).closest('input, textarea, select, [contenteditable="true"]') !== null
}
