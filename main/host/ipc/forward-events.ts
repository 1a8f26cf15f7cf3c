import { IPC_EVENT_CHANNEL } from '../../../shared/api/methods'
import type { ApiEvent } from '../../../shared/api/contract'
import type { EventTargetLike } from './types'

interface EventSource {
  on(listener: (event: ApiEvent) => void): () => void
}

/**
 * Push every service event to the window on IPC_EVENT_CHANNEL. The target is looked up per
 * event because the window can be closed (and, on macOS, reopened) while services live on.
 * Returns the unsubscribe function.
 */
export function forwardEvents(
  events: EventSource,
  currentTarget: () => EventTargetLike | null,
): () => void {
  return events.on((event) => {
    const target = currentTarget()
    if (target !== null && !target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event)
  })
}
