import { onBeforeUnmount, watch } from 'vue'
import type { useEditorStore } from '../editorStore'
import type { EditorDocument } from '../model/editorDocument'

type EditorStore = ReturnType<typeof useEditorStore>

/** localStorage key of the drawing in progress; versioned so a later shape can ignore old ones. */
export const DRAFT_KEY = 'tierlab.editor.draft.v1'
/** Writes wait for a pause in editing: a drag fires an edit per frame. */
const WRITE_DELAY_MS = 400

interface StoredDraft {
  document: EditorDocument
  savedId: number | null
  savedText: string | null
}

/** The stored draft, or null when there is none or it is not one (another version, corrupt). */
export function readDraft(storage: Storage): StoredDraft | null {
  try {
    const value = JSON.parse(storage.getItem(DRAFT_KEY) ?? 'null') as Partial<StoredDraft> | null
    const doc = value?.document
    if (!doc || !Array.isArray(doc.topology?.components) || !Array.isArray(doc.topology?.links))
      return null
    if (typeof doc.positions !== 'object' || doc.positions === null) return null
    return {
      document: doc,
      savedId: typeof value.savedId === 'number' ? value.savedId : null,
      savedText: typeof value.savedText === 'string' ? value.savedText : null,
    }
  } catch {
    return null
  }
}

/**
 * Keeps unsaved work across reloads and closed windows: the drawing is written to localStorage
 * while it has unsaved changes (and removed once saved), and put back when the editor opens. In a
 * browser tab, leaving with unsaved changes also asks first; the Electron window does not, since a
 * refused unload there closes nothing and asks nothing, and the draft comes back anyway.
 */
export function useEditorDraft(store: EditorStore, storage: Storage = window.localStorage) {
  let timer: ReturnType<typeof setTimeout> | undefined
  function write(): void {
    try {
      if (!store.unsavedWork) storage.removeItem(DRAFT_KEY)
      else
        storage.setItem(
          DRAFT_KEY,
          JSON.stringify({
            document: store.document,
            savedId: store.savedId,
            savedText: store.savedText,
          } satisfies StoredDraft),
        )
    } catch {
      // Storage full or disabled: the draft is a convenience, the editor works without it.
    }
  }
  watch(
    () => [store.document, store.savedText] as const,
    () => {
      clearTimeout(timer)
      timer = setTimeout(write, WRITE_DELAY_MS)
    },
  )

  const inElectron = 'tierlab' in window
  function onBeforeUnload(event: BeforeUnloadEvent): void {
    write()
    if (inElectron || !store.unsavedWork) return
    event.preventDefault()
    event.returnValue = '' // older Chromium needs it to show the "Leave site?" dialog
  }
  window.addEventListener('beforeunload', onBeforeUnload)
  onBeforeUnmount(() => {
    clearTimeout(timer)
    write()
    window.removeEventListener('beforeunload', onBeforeUnload)
  })

  /** Puts the stored draft back; false when there is none. */
  function restore(): boolean {
    const draft = readDraft(storage)
    if (!draft || draft.document.topology.components.length === 0) return false
    store.restoreDraft(draft.document, { id: draft.savedId, text: draft.savedText })
    store.status = {
      kind: 'info',
      text: `Restored your unsaved drawing "${draft.document.topology.name}"`,
    }
    return true
  }
  return { restore }
}

/**
 * Asks before replacing a drawing with unsaved changes (New, a preset, Open, Import). Undo
 * brings the old drawing back either way; the question makes the loss visible.
 */
export function confirmReplace(store: EditorStore, action: string): boolean {
  if (!store.unsavedWork) return true
  return window.confirm(
    `"${store.topology.name}" has unsaved changes. ${action} anyway? (Undo brings the drawing back.)`,
  )
}
