import type { Router } from 'vue-router'

/** Where the last shown view is kept between sessions. */
export const LAST_VIEW_KEY = 'tierlab.lastView'

/** Storage as far as this needs it; tests pass a Map-backed one. */
export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/**
 * Remembers the route on every navigation and, when the page was opened without a route of its
 * own (an empty hash: a fresh window, a bookmark of the bare URL), goes back to the last one.
 * Only in-app paths are restored, so a stale or hand-edited value cannot send the page elsewhere.
 */
export async function rememberLastView(
  router: Router,
  storage: KeyValueStorage | null,
  openedHash: string,
): Promise<void> {
  if (!storage) return
  router.afterEach((to) => {
    try {
      storage.setItem(LAST_VIEW_KEY, to.fullPath)
    } catch {
      // Storage full or disabled: remembering is a convenience, not worth an error.
    }
  })
  if (openedHash !== '' && openedHash !== '#' && openedHash !== '#/') return
  let last: string | null = null
  try {
    last = storage.getItem(LAST_VIEW_KEY)
  } catch {
    return
  }
  if (last && /^\/[a-z]/.test(last) && router.resolve(last).matched.length > 0)
    await router.replace(last)
}
