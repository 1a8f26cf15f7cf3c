import { defineStore } from 'pinia'
import { ref } from 'vue'
import { errorMessage } from '../api/replies'

export interface Toast {
  id: number
  text: string
}

/** At most this many are shown; older ones drop off first. */
const MAX_TOASTS = 4

/**
 * Errors that no page caught (a failed API call in an event handler, a bug), shown with their
 * text in a corner instead of being lost in the console. Pages keep showing their own errors.
 */
export const useToastsStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([])
  let nextId = 1

  function push(error: unknown): void {
    const text = errorMessage(error) || 'Something went wrong, with no message.'
    // The same error repeated (a failing poll) is shown once.
    if (toasts.value.some((t) => t.text === text)) return
    toasts.value = [...toasts.value, { id: nextId++, text }].slice(-MAX_TOASTS)
  }

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id)
  }

  return { toasts, push, dismiss }
})
