/**
 * Runs `work` at most once per animation frame however often `request` is called: events may
 * arrive hundreds of times a second, the screen needs them once a frame. Without
 * requestAnimationFrame (tests, workers) a 16 ms timer stands in.
 */
export function createFrameScheduler(
  work: () => void,
  schedule: (cb: () => void) => void = defaultSchedule,
): { request(): void; readonly pending: boolean } {
  let pending = false
  return {
    request() {
      if (pending) return
      pending = true
      schedule(() => {
        pending = false
        work()
      })
    },
    get pending() {
      return pending
    },
  }
}

function defaultSchedule(cb: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb())
  else setTimeout(cb, 16)
}
