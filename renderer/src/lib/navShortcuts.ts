import { SECTIONS } from '../router'

type SectionName = (typeof SECTIONS)[number]['name']

/** The second key of "g then letter", per section: the first letter, except eXperiments and studY. */
export const GO_KEYS: Readonly<Record<SectionName, string>> = {
  topologies: 't',
  editor: 'e',
  experiments: 'x',
  policies: 'p',
  queue: 'q',
  runs: 'r',
  compare: 'c',
  sweeps: 's',
  // 's' is Sweeps: the y of studY.
  studies: 'y',
}

/** How long after `g` the letter still counts, in ms. */
export const GO_WINDOW_MS = 1500

export type NavCommand = { kind: 'go'; section: SectionName } | { kind: 'help' } | { kind: 'close' }

export interface KeyLike {
  key: string
  code?: string
  altKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
}

/**
 * App-wide keys: Alt+1…6 opens the n-th section, `g` then a letter opens one by name, `?` shows
 * the shortcut list and Escape closes it. Stateful only for the pending `g`; the caller passes
 * the time so this stays testable. Text fields are the caller's to skip.
 */
export function createNavKeys(): (event: KeyLike, nowMs: number) => NavCommand | null {
  let goPressedAtMs: number | null = null
  return (event, nowMs) => {
    // Alt+digit: on some layouts Alt changes `key`, so read the physical digit from `code`.
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      const digit = /^Digit([1-9])$/.exec(event.code ?? '')?.[1] ?? /^[1-9]$/.exec(event.key)?.[0]
      const section = digit ? SECTIONS[Number(digit) - 1] : undefined
      return section ? { kind: 'go', section: section.name } : null
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return null
    if (event.key === '?') return { kind: 'help' }
    if (event.key === 'Escape') return { kind: 'close' }
    const pending = goPressedAtMs !== null && nowMs - goPressedAtMs <= GO_WINDOW_MS
    goPressedAtMs = null
    if (pending) {
      const entry = Object.entries(GO_KEYS).find(([, k]) => k === event.key.toLowerCase())
      if (entry) return { kind: 'go', section: entry[0] as SectionName }
      return null
    }
    if (event.key === 'g' && !event.shiftKey) goPressedAtMs = nowMs
    return null
  }
}
