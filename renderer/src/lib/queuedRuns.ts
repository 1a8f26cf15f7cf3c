import type { RunRecord } from '../../../shared/runs'

type Listener = (records: readonly RunRecord[]) => void
const listeners = new Set<Listener>()

/**
 * Runs this window has just queued, announced so the Queue shows them at once, before the host's
 * events arrive. A small bus instead of the experiments feature calling the queue's store, so
 * features do not import each other; a Queue opened later lists them from the host anyway.
 */
export function announceQueued(records: readonly RunRecord[]): void {
  for (const listener of listeners) listener(records)
}

/** Subscribes to announced runs; returns the unsubscribe function. */
export function onQueued(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
