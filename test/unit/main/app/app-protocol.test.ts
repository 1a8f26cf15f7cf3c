import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { protocol, protocolHandlers } from './fake-electron'
import {
  APP_INDEX_URL,
  contentTypeFor,
  installAppProtocol,
  registerAppScheme,
  resolveAppRequestPath,
} from '../../../../main/app/app-protocol'
import { CONTENT_SECURITY_POLICY } from '../../../../main/app/security'

vi.mock('electron', () => import('./fake-electron'))

const rendererDir = path.resolve('/opt/tierlab/out/renderer')

describe('resolveAppRequestPath', () => {
  it('maps app://tierlab/ paths to files under the renderer folder', () => {
    expect(resolveAppRequestPath(rendererDir, APP_INDEX_URL)).toBe(
      path.join(rendererDir, 'index.html'),
    )
    expect(resolveAppRequestPath(rendererDir, 'app://tierlab/')).toBe(
      path.join(rendererDir, 'index.html'),
    )
    expect(resolveAppRequestPath(rendererDir, 'app://tierlab/assets/index-1a2b.js?v=1#x')).toBe(
      path.join(rendererDir, 'assets', 'index-1a2b.js'),
    )
    // %20 is decoded to the space in the file name.
    expect(resolveAppRequestPath(rendererDir, 'app://tierlab/assets/a%20b.css')).toBe(
      path.join(rendererDir, 'assets', 'a b.css'),
    )
  })

  it('refuses traversal, plain or encoded, and URLs that are not ours', () => {
    const refused = [
      // The URL parser would fold these away silently; asking for them is refused outright.
      'app://tierlab/../../etc/passwd',
      'app://tierlab/assets/./../../main/index.js',
      'app://tierlab/%2e%2e/main/index.js',
      'app://tierlab/%2E%2E/%2E%2E/etc/passwd',
      'app://tierlab/assets/..%2f..%2fmain%2findex.js',
      'app://tierlab/..%5c..%5cmain%5cindex.js',
      'app://tierlab/assets%2f%2e%2e%2f%2e%2e%2fx',
      'app://tierlab/%00index.html',
      'app://tierlab/%E0%A4%A',
      'app://other/index.html',
      'app://user@tierlab/index.html',
      'file:///opt/tierlab/out/renderer/index.html',
      'https://tierlab/index.html',
      'not a url',
    ]
    for (const url of refused) expect(resolveAppRequestPath(rendererDir, url), url).toBeUndefined()
    // Dots inside a name are not a traversal.
    expect(resolveAppRequestPath(rendererDir, 'app://tierlab/assets/a..b.js')).toBe(
      path.join(rendererDir, 'assets', 'a..b.js'),
    )
  })
})

describe('contentTypeFor', () => {
  it('names the types the bundle contains, octet-stream otherwise', () => {
    expect(contentTypeFor('/x/index.html')).toBe('text/html; charset=utf-8')
    expect(contentTypeFor('/x/a.JS')).toBe('text/javascript; charset=utf-8')
    expect(contentTypeFor('/x/a.css')).toBe('text/css; charset=utf-8')
    expect(contentTypeFor('/x/a.woff2')).toBe('font/woff2')
    expect(contentTypeFor('/x/a.bin')).toBe('application/octet-stream')
  })
})

describe('the app:// handler', () => {
  let tmp: string
  let dir: string
  let handler: (request: Request) => Promise<Response>

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'tierlab-proto-'))
    dir = path.join(tmp, 'out', 'renderer')
    await mkdir(path.join(dir, 'assets'), { recursive: true })
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Tierlab</title>')
    await writeFile(path.join(dir, 'assets', 'app.js'), 'console.log(1)')
    // A secret beside the renderer folder that traversal would reach.
    await writeFile(path.join(tmp, 'out', 'secret.txt'), 'secret')
    registerAppScheme(protocol)
    installAppProtocol(protocol, dir)
    const installed = protocolHandlers.get('app')
    if (installed === undefined) throw new Error('no app:// handler installed')
    handler = installed
  })
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true })
  })

  it('registers app as a standard, secure, fetch-capable scheme', () => {
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
  })

  it('serves index.html and assets with their type and the CSP', async () => {
    const index = await handler(new Request(APP_INDEX_URL))
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(await index.text()).toBe('<!doctype html><title>Tierlab</title>')
    const script = await handler(new Request('app://tierlab/assets/app.js'))
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await script.text()).toBe('console.log(1)')
  })

  it('answers 404 for missing files, folders, traversal and other methods', async () => {
    const requests = [
      new Request('app://tierlab/missing.js'),
      new Request('app://tierlab/assets/'),
      new Request('app://tierlab/%2e%2e/secret.txt'),
      new Request('app://tierlab/assets/..%2f..%2fsecret.txt'),
      new Request('app://tierlab/../secret.txt'),
      new Request('app://other/index.html'),
      new Request(APP_INDEX_URL, { method: 'POST', body: 'x' }),
    ]
    for (const request of requests) {
      const response = await handler(request)
      expect(response.status, request.url).toBe(404)
      expect(await response.text()).not.toContain('secret')
    }
  })
})
