import { describe, expect, it } from 'vitest'
import {
  copySelection,
  pasteClipboard,
  PASTE_OFFSET,
} from '../../../../renderer/src/features/editor/model/clipboard'
import { idPrefix, nextFreeId } from '../../../../renderer/src/features/editor/model/ids'
import { twoSocketsOneCxl } from './editorFixtures'

describe('ids', () => {
  it('takes the smallest free number for a prefix', () => {
    expect(nextFreeId('s', new Set(['s0', 's1', 's3']))).toBe('s2')
    expect(nextFreeId('gpu', new Set())).toBe('gpu0')
  })
  it('derives the prefix of an id by dropping trailing digits', () => {
    expect(idPrefix('s12')).toBe('s')
    expect(idPrefix('cxl-a3')).toBe('cxl-a')
    expect(idPrefix('42')).toBe('c')
  })
})

describe('copy and paste', () => {
  it('duplicates components with new ids and re-points the links among them', () => {
    const doc = twoSocketsOneCxl()
    const clip = copySelection(doc, ['s0', 'c0'])!
    // Only the s0–c0 link has both ends in the selection.
    expect(clip.links.map((l) => `${l.a}-${l.b}`)).toEqual(['s0-c0'])
    const { doc: next, ids } = pasteClipboard(doc, clip)
    // s0, s1 taken → s2; c0 taken → c1.
    expect(ids).toEqual(['s2', 'c1'])
    expect(next.topology.components.map((c) => c.id)).toEqual(['s0', 's1', 'c0', 's2', 'c1'])
    expect(next.topology.links.slice(2)).toEqual([
      { a: 's2', b: 'c1', kind: 'cxl', generation: 5, lanes: 8, latencyNs: 70 },
    ])
    // Copies sit PASTE_OFFSET (40) right and down of the originals: c0 at (0, 300) → (40, 340).
    expect(next.positions.c1).toEqual({ x: 0 + PASTE_OFFSET, y: 300 + PASTE_OFFSET })
    expect(next.positions.s2).toEqual({ x: 40, y: 40 })
  })

  it('leaves the original document and the clipboard untouched', () => {
    const doc = twoSocketsOneCxl()
    const before = JSON.stringify(doc)
    const clip = copySelection(doc, ['s1'])!
    const clipBefore = JSON.stringify(clip)
    pasteClipboard(doc, clip)
    expect(JSON.stringify(doc)).toBe(before)
    expect(JSON.stringify(clip)).toBe(clipBefore)
  })

  it('copies nothing when no component is selected', () => {
    expect(copySelection(twoSocketsOneCxl(), [])).toBeNull()
  })
})
