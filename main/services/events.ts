import type { ApiEvent } from '../../shared/api'
import type { ServiceEvents } from './types'

/** A synchronous fan-out; one listener that throws must not starve the others. */
export function createServiceEvents(): ServiceEvents & { clear(): void } {
  const listeners = new Set<(event: ApiEvent) => void>()
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event)
        } catch (err) {
          console.error('tierlab: an event listener failed:', err)
        }
      }
    },
    on(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    clear() {
      listeners.clear()
    },
  }
}
