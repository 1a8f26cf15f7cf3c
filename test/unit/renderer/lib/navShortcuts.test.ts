import { describe, expect, it } from 'vitest'
import {
  createNavKeys,
  GO_WINDOW_MS,
  type KeyLike,
} from '../../../../renderer/src/lib/navShortcuts'

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
})

describe('createNavKeys', () => {
  it('opens the n-th section with Alt+n, reading the physical digit', () => {
    const keys = createNavKeys()
    // SECTIONS: topologies, editor, experiments, queue, runs, compare, policies.
    expect(keys(key('3', { altKey: true, code: 'Digit3' }), 0)).toEqual({
      kind: 'go',
      section: 'experiments',
    })
    // A layout where Alt+6 types another character still reads Digit6.
    expect(keys(key('¶', { altKey: true, code: 'Digit6' }), 0)).toEqual({
      kind: 'go',
      section: 'compare',
    })
    // The 7th section is Sweeps, the 8th Policies, the 9th Studies.
    expect(keys(key('7', { altKey: true, code: 'Digit7' }), 0)).toEqual({
      kind: 'go',
      section: 'sweeps',
    })
    expect(keys(key('8', { altKey: true, code: 'Digit8' }), 0)).toEqual({
      kind: 'go',
      section: 'policies',
    })
    expect(keys(key('9', { altKey: true, code: 'Digit9' }), 0)).toEqual({
      kind: 'go',
      section: 'studies',
    })
    expect(keys(key('0', { altKey: true, code: 'Digit0' }), 0)).toBeNull()
    expect(keys(key('3', { altKey: true, ctrlKey: true, code: 'Digit3' }), 0)).toBeNull()
  })

  it('takes g then a letter within the window, and only then', () => {
    const keys = createNavKeys()
    expect(keys(key('g'), 1000)).toBeNull()
    expect(keys(key('q'), 1000 + GO_WINDOW_MS)).toEqual({ kind: 'go', section: 'queue' })
    // The g is used up: a second letter alone does nothing.
    expect(keys(key('r'), 1000 + GO_WINDOW_MS)).toBeNull()
    keys(key('g'), 5000)
    expect(keys(key('x'), 5000 + GO_WINDOW_MS + 1)).toBeNull()
    // A letter that names no section cancels the g.
    keys(key('g'), 9000)
    expect(keys(key('z'), 9001)).toBeNull()
    expect(keys(key('e'), 9002)).toBeNull()
  })

  it('shows the list on ? and closes it on Escape, but leaves Ctrl combinations alone', () => {
    const keys = createNavKeys()
    expect(keys(key('?', { shiftKey: true }), 0)).toEqual({ kind: 'help' })
    expect(keys(key('Escape'), 0)).toEqual({ kind: 'close' })
    keys(key('g'), 0)
    expect(keys(key('c', { ctrlKey: true }), 1)).toBeNull()
  })
})
