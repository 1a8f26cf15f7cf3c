import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createSenderCheck, isTrustedRendererUrl } from '../../../../../main/host/ipc'
import type { SenderFrameLike } from '../../../../../main/host/ipc'

const appOrigin = 'app://tierlab/'
const indexUrl = 'app://tierlab/index.html'
const rendererDir = path.resolve('/opt/tierlab/out/renderer')

describe('isTrustedRendererUrl', () => {
  const built = { appOrigin }
  const dev = { appOrigin, devServerUrl: 'http://localhost:5173/' }

  it('trusts pages served from app://tierlab/ and nothing else', () => {
    expect(isTrustedRendererUrl(indexUrl, built)).toBe(true)
    expect(isTrustedRendererUrl(`${indexUrl}#/runs/3`, built)).toBe(true)
    expect(isTrustedRendererUrl('app://tierlab/assets/index-abc.js', built)).toBe(true)
    expect(isTrustedRendererUrl('app://other/index.html', built)).toBe(false)
    expect(isTrustedRendererUrl('app://tierlab.evil/index.html', built)).toBe(false)
    expect(isTrustedRendererUrl('app://user:pw@tierlab/index.html', built)).toBe(false)
    expect(isTrustedRendererUrl('https://tierlab/index.html', built)).toBe(false)
  })

  it('refuses every file:// page, even our own bundle opened from disk', () => {
    const bundleOnDisk = pathToFileURL(path.join(rendererDir, 'index.html')).href
    expect(isTrustedRendererUrl(bundleOnDisk, built)).toBe(false)
    expect(isTrustedRendererUrl(bundleOnDisk, dev)).toBe(false)
    expect(isTrustedRendererUrl('file:///etc/passwd', built)).toBe(false)
    expect(isTrustedRendererUrl('file://tierlab/index.html', built)).toBe(false)
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
  const check = createSenderCheck((frame) => frame === ours, { appOrigin })

  it('trusts the main frame of our window showing our page', () => {
    expect(check(ours)).toBe(true)
  })

  it('refuses a missing frame, a sub-frame, another window and a foreign page', () => {
    expect(check(null)).toBe(false)
    expect(check({ url: indexUrl, parent: ours })).toBe(false)
    expect(check({ url: indexUrl, parent: null })).toBe(false)
    const navigatedAway = createSenderCheck(() => true, { appOrigin })
    expect(navigatedAway({ url: 'https://evil.example/', parent: null })).toBe(false)
    const fromDisk = pathToFileURL(path.join(rendererDir, 'index.html')).href
    expect(navigatedAway({ url: fromDisk, parent: null })).toBe(false)
  })
})
