import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createSenderCheck, isTrustedRendererUrl } from '../../../../../main/host/ipc'
import type { SenderFrameLike } from '../../../../../main/host/ipc'

const rendererDir = path.resolve('/opt/tierlab/out/renderer')
const indexUrl = pathToFileURL(path.join(rendererDir, 'index.html')).href

describe('isTrustedRendererUrl', () => {
  const built = { rendererDir }
  const dev = { rendererDir, devServerUrl: 'http://localhost:5173/' }

  it('trusts pages of the built renderer and nothing else on disk', () => {
    expect(isTrustedRendererUrl(indexUrl, built)).toBe(true)
    expect(isTrustedRendererUrl(`${indexUrl}#/runs/3`, built)).toBe(true)
    expect(isTrustedRendererUrl('file:///etc/passwd', built)).toBe(false)
    // A sibling folder that merely starts with the same name is not inside it.
    expect(isTrustedRendererUrl('file:///opt/tierlab/out/renderer-evil/index.html', built)).toBe(
      false,
    )
    // URL parsing folds the .. away, leaving a file outside the renderer.
    expect(isTrustedRendererUrl('file:///opt/tierlab/out/renderer/../main/x.html', built)).toBe(
      false,
    )
    expect(isTrustedRendererUrl(pathToFileURL(rendererDir).href, built)).toBe(false)
  })

  it('trusts the dev server origin only when one is configured', () => {
    expect(isTrustedRendererUrl('http://localhost:5173/index.html', dev)).toBe(true)
    expect(isTrustedRendererUrl('http://localhost:5173/index.html', built)).toBe(false)
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isTrustedRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false)
    expect(isTrustedRendererUrl('https://evil.example/', dev)).toBe(false)
    expect(isTrustedRendererUrl('not a url', dev)).toBe(false)
    expect(isTrustedRendererUrl('about:blank', dev)).toBe(false)
  })
})

describe('createSenderCheck', () => {
  const ours: SenderFrameLike = { url: indexUrl, parent: null }
  const check = createSenderCheck((frame) => frame === ours, { rendererDir })

  it('trusts the main frame of our window showing our page', () => {
    expect(check(ours)).toBe(true)
  })

  it('refuses a missing frame, a sub-frame, another window and a foreign page', () => {
    expect(check(null)).toBe(false)
    expect(check({ url: indexUrl, parent: ours })).toBe(false)
    expect(check({ url: indexUrl, parent: null })).toBe(false)
    const navigatedAway = createSenderCheck(() => true, { rendererDir })
    expect(navigatedAway({ url: 'https://evil.example/', parent: null })).toBe(false)
  })
})
