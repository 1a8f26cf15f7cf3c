/**
 * Undo/redo over immutable snapshots. Edits that share a coalesce key in a row (typing into one
 * field) collapse into one step, so one Ctrl+Z undoes the whole field edit.
 */
export interface History<T> {
  past: T[]
  present: T
  future: T[]
  /** Key of the last pushed edit, or null when the next edit must start a new step. */
  lastKey: string | null
}

export const HISTORY_LIMIT = 200

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null }
}

export function pushHistory<T>(
  history: History<T>,
  next: T,
  coalesceKey: string | null = null,
  limit = HISTORY_LIMIT,
): History<T> {
  if (next === history.present) return history
  if (coalesceKey !== null && coalesceKey === history.lastKey && history.past.length > 0) {
    return { past: history.past, present: next, future: [], lastKey: coalesceKey }
  }
  const past = [...history.past, history.present]
  if (past.length > limit) past.splice(0, past.length - limit)
  return { past, present: next, future: [], lastKey: coalesceKey }
}

export function undoHistory<T>(history: History<T>): History<T> {
  if (history.past.length === 0) return history
  const previous = history.past[history.past.length - 1]
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    lastKey: null,
  }
}

export function redoHistory<T>(history: History<T>): History<T> {
  if (history.future.length === 0) return history
  const [next, ...rest] = history.future
  return { past: [...history.past, history.present], present: next, future: rest, lastKey: null }
}

/** Ends coalescing: the next edit starts a new undo step even with the same key. */
export function sealHistory<T>(history: History<T>): History<T> {
  return history.lastKey === null ? history : { ...history, lastKey: null }
}

export const canUndo = (history: History<unknown>): boolean => history.past.length > 0
export const canRedo = (history: History<unknown>): boolean => history.future.length > 0
