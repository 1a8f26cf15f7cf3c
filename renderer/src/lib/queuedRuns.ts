import type { RunRecord } from '../../../shared/runs'

type Listener = (records: readonly RunRecord[]) => void
const listeners = new Set<Listener>()
/** Runs announced so far (the newest few), for a Queue that subscribes after they were queued. */
const recent: RunRecord[] = []
const RECENT_MAX = 200

/**
 * Runs this window has just queued, announced so the Queue shows them at once, before the host's
 * events arrive. A small bus instead of the experiments feature calling the queue's store, so
 * features do not import each other. The Queue's store is created when the Queue is first opened,
 * which may be after short runs have already finished (then the host no longer lists them as
 * live): the bus keeps the newest announcements and hands them to a late subscriber.
 */
export function announceQueued(records: readonly RunRecord[]): void {
  recent.push(...records)
  if (recent.length > RECENT_MAX) recent.splice(0, recent.length - RECENT_MAX)
  for (const listener of listeners) listener(records)
}

/** Subscribes to announced runs, first replaying the recent ones; returns the unsubscribe. */
export function onQueued(listener: Listener): () => void {
  listeners.add(listener)
  if (recent.length > 0) listener([...recent])
  return () => listeners.delete(listener)
}
