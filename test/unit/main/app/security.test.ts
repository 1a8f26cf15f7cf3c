import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Session, WebContents } from 'electron'
import { createFakeSession, FakeWebContents, shell } from './fake-electron'
import {
  CONTENT_SECURITY_POLICY,
  denyAllPermissions,
  installContentSecurityPolicy,
  lockDownWebContents,
} from '../../../../main/app/security'

vi.mock('electron', () => import('./fake-electron'))

describe('Content-Security-Policy', () => {
  it('is the strict policy, directive by directive', () => {
    expect(CONTENT_SECURITY_POLICY.split('; ')).toEqual([
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "connect-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ])
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/)
  })

  it('is set on every response, replacing a weaker one the server sent', () => {
    const session = createFakeSession()
    installContentSecurityPolicy(session as unknown as Session)
    expect(session.webRequest.onHeadersReceived).toHaveBeenCalledTimes(1)
    const [listener] = session.webRequest.onHeadersReceived.mock.calls[0] as [
      (details: unknown, callback: (response: unknown) => void) => void,
    ]
    const callback = vi.fn()
    listener(
      {
        url: 'http://localhost:5173/',
        responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Kept': ['1'] },
      },
      callback,
    )
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'X-Kept': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    })
    // A response without headers (file://) still gets the policy.
    listener({ url: 'file:///x/index.html' }, callback)
    expect(callback).toHaveBeenLastCalledWith({
      responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    })
  })
})

describe('permissions', () => {
  it('denies every request and every check', () => {
    const session = createFakeSession()
    denyAllPermissions(session as unknown as Session)
    const [onRequest] = session.setPermissionRequestHandler.mock.calls[0] as [
      (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
    ]
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const callback = vi.fn()
      onRequest({}, permission, callback)
      expect(callback).toHaveBeenCalledWith(false)
    }
    const [onCheck] = session.setPermissionCheckHandler.mock.calls[0] as [() => boolean]
    expect(onCheck()).toBe(false)
  })
})

describe('lockDownWebContents', () => {
  beforeEach(() => shell.openExternal.mockClear())

  function locked() {
    const contents = new FakeWebContents()
    lockDownWebContents(contents as unknown as WebContents)
    return contents
  }
  function navigationEvent(url: string) {
    return { url, preventDefault: vi.fn() }
  }

  it('blocks every navigation; a https link goes to the system browser instead', () => {
    const contents = locked()
    const external = navigationEvent('https://example.com/paper.pdf')
    const local = navigationEvent('file:///etc/passwd')
    const ours = navigationEvent('file:///opt/tierlab/out/renderer/other.html')
    contents.emit('will-navigate', external)
    contents.emit('will-navigate', local)
    contents.emit('will-navigate', ours)
    expect(external.preventDefault).toHaveBeenCalled()
    expect(local.preventDefault).toHaveBeenCalled()
    expect(ours.preventDefault).toHaveBeenCalled()
    expect(shell.openExternal.mock.calls).toEqual([['https://example.com/paper.pdf']])
  })

  it('refuses to attach a <webview>', () => {
    const contents = locked()
    const event = navigationEvent('')
    contents.emit('will-attach-webview', event, {}, {})
    expect(event.preventDefault).toHaveBeenCalled()
  })

  it('denies every new window, passing https links on', () => {
    const contents = locked()
    const handler = contents.windowOpenHandler
    expect(handler).toBeDefined()
    for (const url of ['https://example.com/', 'javascript:alert(1)', 'file:///etc/passwd']) {
      expect(handler?.({ url })).toEqual({ action: 'deny' })
    }
    expect(shell.openExternal.mock.calls).toEqual([['https://example.com/']])
  })
})
