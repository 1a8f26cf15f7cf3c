import { onBeforeUnmount, watch } from 'vue'
import type { EditorStore } from '../editorStore'

/** Typing pauses shorter than this do not trigger a round trip to the host. */
export const ANALYSIS_DEBOUNCE_MS = 250

/** Re-analyses the draft after every edit, debounced, while the editor is mounted. */
export function useLiveAnalysis(store: EditorStore, delayMs = ANALYSIS_DEBOUNCE_MS): void {
  let timer: ReturnType<typeof setTimeout> | null = null
  const stop = watch(
    () => store.topology,
    () => {
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => {
        timer = null
        void store.analyze()
      }, delayMs)
    },
    { immediate: true },
  )
  onBeforeUnmount(() => {
    stop()
    if (timer) clearTimeout(timer)
  })
}
