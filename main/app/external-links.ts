import { shell } from 'electron'

/** Longer than any real documentation link; long URLs are a classic smuggling vehicle. */
const MAX_URL_LENGTH = 2048

/**
 * Whether a URL may be handed to the operating system. Only https with a real host and no
 * embedded credentials: file:, smb:, javascript: or custom schemes could start programs or leak
 * data (Electron security checklist, "Do not use shell.openExternal with untrusted content").
 */
export function isSafeExternalUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return false
  // The URL parser silently drops tabs and newlines, so what would be opened is not what was shown.
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.hostname !== '' &&
    parsed.username === '' &&
    parsed.password === ''
  )
}

/**
 * The only place in main that calls shell.openExternal (ESLint enforces it). Returns whether the
 * link was handed to the system browser.
 */
export function openExternalLink(url: unknown): boolean {
  if (!isSafeExternalUrl(url)) return false
  void shell.openExternal(url).catch((error: unknown) => {
    console.warn(`Could not open ${url} in the system browser: ${String(error)}`)
  })
  return true
}
