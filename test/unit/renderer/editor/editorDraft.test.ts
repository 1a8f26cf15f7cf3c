// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick } from 'vue'
import { useEditorStore } from '../../../../renderer/src/features/editor/editorStore'
import {
  confirmReplace,
  DRAFT_KEY,
  readDraft,
  useEditorDraft,
} from '../../../../renderer/src/features/editor/composables/useEditorDraft'
import { setupEditorStores } from './editorFixtures'

/** A Storage over a Map: what localStorage holds across a reload. */
function memoryStorage(): Storage {
  const m = new Map<string, string>()
  return {
    get length() {
      return m.size
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  }
}

beforeEach(() => {
  setupEditorStores()
  vi.useFakeTimers()
})

function drawTwo() {
  const store = useEditorStore()
  store.setName('My box')
  store.addComponent('socket', { x: 0, y: 0 })
  store.addComponent('cxl-memory', { x: 0, y: 200 })
  return store
}

describe('the editor never loses a drawing', () => {
  it('New and opening a preset are undo steps: Undo brings the cleared drawing back', () => {
    const store = drawTwo()
    store.newDocument()
    expect(store.topology.components).toEqual([])
    store.undo()
    expect(store.topology.name).toBe('My box')
    expect(store.topology.components.map((c) => c.id)).toEqual(['s0', 'cxl0'])
  })

  it('asks before replacing unsaved work, and not for an empty or saved drawing', () => {
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const store = useEditorStore()
    expect(confirmReplace(store, 'Start a new machine')).toBe(true)
    expect(confirm).not.toHaveBeenCalled()
    drawTwo()
    expect(confirmReplace(store, 'Start a new machine')).toBe(false)
    expect((confirm.mock.calls[0] as unknown[])[0]).toMatch(
      /"My box" has unsaved changes\. Start a new machine/,
    )
  })

  it('keeps the unsaved drawing in storage and puts it back after a reload', async () => {
    const storage = memoryStorage()
    const scope = effectScope()
    const store = drawTwo()
    scope.run(() => useEditorDraft(store, storage))
    // Nothing is written until editing pauses.
    store.addComponent('socket', { x: 300, y: 0 })
    await nextTick()
    expect(readDraft(storage)).toBeNull()
    vi.advanceTimersByTime(1000)
    expect(readDraft(storage)?.document.topology.components).toHaveLength(3)
    scope.stop()

    // A reload: fresh stores, the same storage.
    setupEditorStores()
    const fresh = useEditorStore()
    expect(fresh.topology.components).toEqual([])
    const again = effectScope()
    const draft = again.run(() => useEditorDraft(fresh, storage))!
    expect(draft.restore()).toBe(true)
    expect(fresh.topology.name).toBe('My box')
    expect(fresh.topology.components.map((c) => c.id)).toEqual(['s0', 'cxl0', 's1'])
    expect(fresh.unsavedWork).toBe(true)
    again.stop()
  })

  it('ignores a stored value that is not a draft', () => {
    const storage = memoryStorage()
    storage.setItem(DRAFT_KEY, '{"document":{"topology":{}}}')
    expect(readDraft(storage)).toBeNull()
    storage.setItem(DRAFT_KEY, 'not json')
    expect(readDraft(storage)).toBeNull()
  })
})
