import type { Session, WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../../shared/security'
import { openExternalLink } from './external-links'

export { CONTENT_SECURITY_POLICY }

/** Add the CSP header to every response the session receives, replacing any the server sent. */
export function installContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value
    }
    responseHeaders['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]
    callback({ responseHeaders })
  })
}

/**
 * The workbench needs no camera, microphone, geolocation, notifications or the like: refuse
 * every permission request and check (Electron security checklist, item "permission requests").
 */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/**
 * The window never navigates away from the bundled page and never opens another window: a
 * https link goes to the system browser (checked in external-links.ts), everything else is
 * dropped. <webview> is refused even though webviewTag is off, as a second line of defence.
 */
export function lockDownWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault()
    openExternalLink(event.url)
  })
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    openExternalLink(url)
    return { action: 'deny' }
  })
}
