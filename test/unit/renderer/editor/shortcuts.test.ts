import { describe, expect, it } from 'vitest'
import { commandForKey } from '../../../../renderer/src/features/editor/composables/shortcuts'

const key = (
  k: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
})

describe('editor shortcuts', () => {
  it('maps the undo/redo/clipboard/delete keys', () => {
    expect(commandForKey(key('z', { ctrlKey: true }))).toBe('undo')
    expect(commandForKey(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo')
    expect(commandForKey(key('y', { ctrlKey: true }))).toBe('redo')
    expect(commandForKey(key('z', { metaKey: true }))).toBe('undo')
    expect(commandForKey(key('c', { ctrlKey: true }))).toBe('copy')
    expect(commandForKey(key('v', { ctrlKey: true }))).toBe('paste')
    expect(commandForKey(key('Delete'))).toBe('delete')
  })
  it('ignores plain letters and Alt chords', () => {
    expect(commandForKey(key('z'))).toBeNull()
    expect(commandForKey(key('z', { ctrlKey: true, altKey: true }))).toBeNull()
  })
})
