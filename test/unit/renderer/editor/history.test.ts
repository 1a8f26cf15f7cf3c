import { describe, expect, it } from 'vitest'
import {
  canRedo,
  canUndo,
  createHistory,
  pushHistory,
  redoHistory,
  sealHistory,
  undoHistory,
} from '../../../../renderer/src/features/editor/model/history'

describe('history', () => {
  it('undoes and redoes in order', () => {
    let h = createHistory('a')
    h = pushHistory(h, 'b')
    h = pushHistory(h, 'c')
    expect(canUndo(h)).toBe(true)
    h = undoHistory(h)
    expect(h.present).toBe('b')
    h = undoHistory(h)
    expect(h.present).toBe('a')
    expect(canUndo(h)).toBe(false)
    expect(undoHistory(h)).toBe(h)
    h = redoHistory(redoHistory(h))
    expect(h.present).toBe('c')
    expect(canRedo(h)).toBe(false)
  })

  it('drops the redo branch on a new edit', () => {
    let h = pushHistory(pushHistory(createHistory(1), 2), 3)
    h = undoHistory(h)
    h = pushHistory(h, 4)
    expect([h.past, h.present, h.future]).toEqual([[1, 2], 4, []])
  })

  it('coalesces consecutive edits with the same key into one step', () => {
    let h = pushHistory(createHistory('x'), 'x1', 'field:a')
    h = pushHistory(h, 'x12', 'field:a')
    h = pushHistory(h, 'x123', 'field:a')
    expect(h.past).toEqual(['x'])
    h = pushHistory(h, 'y', 'field:b')
    expect(h.past).toEqual(['x', 'x123'])
    expect(undoHistory(undoHistory(h)).present).toBe('x')
  })

  it('does not coalesce across an undo or a seal', () => {
    let h = pushHistory(pushHistory(createHistory(0), 1, 'k'), 2, 'k')
    h = sealHistory(h)
    h = pushHistory(h, 3, 'k')
    expect(h.past).toEqual([0, 2])
    h = undoHistory(h)
    h = pushHistory(h, 5, 'k')
    expect(h.past).toEqual([0, 2])
  })

  it('ignores a push of the same snapshot', () => {
    const h = createHistory({ v: 1 })
    expect(pushHistory(h, h.present)).toBe(h)
  })

  it('keeps at most `limit` undo steps, forgetting the oldest', () => {
    let h = createHistory(0)
    for (let i = 1; i <= 5; i++) h = pushHistory(h, i, null, 3)
    // pushes 1..5 with limit 3: past keeps the last three presents before 5 → [2, 3, 4]
    expect(h.past).toEqual([2, 3, 4])
  })
})
