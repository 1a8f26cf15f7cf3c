import type { SenderCheck, SenderFrameLike } from './types'

export interface TrustedOrigins {
  /** Where the built renderer is served from, e.g. app://tierlab/ (main/app/app-protocol.ts). */
  appOrigin: string
  /** The electron-vite dev server (dev only); pages from its origin are ours. */
  devServerUrl?: string
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/**
 * Whether a page URL comes from our own bundle. Anything else (a page reached by a link, an
 * injected iframe, any file:// page) must not reach the API, as VS Code's ipcMain wrapper
 * rejects senders from the wrong origin.
 */
export function isTrustedRendererUrl(url: string, origins: TrustedOrigins): boolean {
  const parsed = parseUrl(url)
  if (parsed === undefined) return false
  const app = parseUrl(origins.appOrigin)
  // WHATWG URL gives custom schemes an opaque origin ('null'), so scheme, host and credentials are
  // compared one by one instead of `.origin`.
  if (
    app !== undefined &&
    parsed.protocol === app.protocol &&
    parsed.host !== '' &&
    parsed.host === app.host &&
    parsed.username === '' &&
    parsed.password === ''
  ) {
    return true
  }
  if (origins.devServerUrl === undefined) return false
  const dev = parseUrl(origins.devServerUrl)
  if (dev === undefined) return false
  return (
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === dev.origin
  )
}

/**
 * The sender check main/app passes to registerIpcHandlers: the main frame of our window (no
 * sub-frames, no other window), showing a page from our bundle.
 */
export function createSenderCheck(
  isOurMainFrame: (frame: SenderFrameLike) => boolean,
  origins: TrustedOrigins,
): SenderCheck {
  return (frame) =>
    frame !== null &&
    frame.parent === null &&
    isOurMainFrame(frame) &&
    isTrustedRendererUrl(frame.url, origins)
}
