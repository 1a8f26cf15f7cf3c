import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SenderCheck, SenderFrameLike } from './types'

export interface TrustedOrigins {
  /** Absolute path of the built renderer (out/renderer); file:// pages under it are ours. */
  rendererDir: string
  /** The electron-vite dev server (dev only); pages from its origin are ours. */
  devServerUrl?: string
}

/**
 * Whether a page URL comes from our own bundle. Anything else (a page reached by a link, an
 * injected iframe, a file elsewhere on disk) must not reach the API, as VS Code's ipcMain wrapper
 * rejects senders from the wrong origin.
 */
export function isTrustedRendererUrl(url: string, origins: TrustedOrigins): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === 'file:') {
    let filePath: string
    try {
      filePath = path.resolve(fileURLToPath(parsed))
    } catch {
      return false
    }
    const root = path.resolve(origins.rendererDir)
    const relative = path.relative(root, filePath)
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
  }
  if (origins.devServerUrl === undefined) return false
  let dev: URL
  try {
    dev = new URL(origins.devServerUrl)
  } catch {
    return false
  }
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
