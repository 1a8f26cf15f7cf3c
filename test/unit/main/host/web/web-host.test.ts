import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiEvent } from '../../../../../shared/api'
import type { Services } from '../../../../../main/services'
import { CONTENT_SECURITY_POLICY, startWebHost, type WebHost } from '../../../../../main/host/web'
import { servicesWithRuns, tempDb, topologyDoc, type TempDb } from '../../services/fixtures'
import { postJson, send } from './http-client'

const TOKEN = 'test-token-0123456789abcdefghijklmn'
const INDEX_HTML = '<!doctype html><title>Tierlab test page</title><script src="./app.js"></script>'

let db: TempDb
let services: Services
let host: WebHost
let staticDir: string

beforeEach(async () => {
  db = tempDb()
  ;({ services } = servicesWithRuns(db))
  staticDir = join(db.dir, 'renderer')
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), INDEX_HTML)
  writeFileSync(join(staticDir, 'app.js'), 'console.log("app")')
  host = await startWebHost({ services, staticDir, token: TOKEN, maxBodyBytes: 4096 })
})
afterEach(async () => {
  await host.close()
  services.close()
  db.cleanup()
})

const bearer = { authorization: `Bearer ${TOKEN}` }

describe('listening', () => {
  it('binds to loopback on an ephemeral port', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`)
    expect(host.port).toBeGreaterThan(0)
  })

  it('makes a fresh 32-character base64url token per start when none is given', async () => {
    const a = await startWebHost({ services, staticDir })
    const b = await startWebHost({ services, staticDir })
    try {
      // 24 bytes → 32 base64url characters.
      expect(a.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
      expect(b.token).not.toBe(a.token)
    } finally {
      await a.close()
      await b.close()
    }
  })
})

describe('authentication', () => {
  it('refuses a request without a token with 401 and a typed error', async () => {
    const res = await postJson(host.port, '/api/app.info', {})
    expect(res.status).toBe(401)
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    expect((await send(host.port, { path: '/' })).status).toBe(401)
  })

  it('shows a browser without its link a page saying where the link is, not JSON', async () => {
    const res = await send(host.port, { path: '/', headers: { accept: 'text/html,*/*' } })
    expect(res.status).toBe(401)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toContain('Open the link printed in the terminal where Tierlab was started')
    expect(res.body).not.toContain('"ok"')
    // The page holds no data and gives no way in; API calls still get the typed JSON error.
    expect(res.body).not.toContain(TOKEN)
    const api = await send(host.port, { path: '/api/runs.list', headers: { accept: 'text/html' } })
    expect(api.headers['content-type']).toMatch(/json/)
  })

  it.each([
    ['header', { authorization: 'Bearer wrong' }, '/api/app.info'],
    ['header without Bearer', { authorization: TOKEN }, '/api/app.info'],
    ['query', {}, '/api/app.info?token=wrong'],
    ['cookie', { cookie: 'tierlab_token=wrong' }, '/api/app.info'],
    ['prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, '/api/app.info'],
  ])('refuses a wrong token in the %s', async (_where, headers, path) => {
    const res = await postJson(host.port, path, {}, headers)
    expect(res.status).toBe(401)
  })

  it('accepts the token in the Authorization header', async () => {
    const res = await postJson(host.port, '/api/app.info', {}, bearer)
    expect(res.status).toBe(200)
    expect(res.json()).toMatchObject({ ok: true, value: { host: 'web' } })
  })

  it('turns ?token= into an HttpOnly SameSite=Strict cookie that then suffices', async () => {
    const page = await send(host.port, { path: `/?token=${TOKEN}` })
    expect(page.status).toBe(200)
    expect(page.body).toBe(INDEX_HTML)
    expect(page.headers['set-cookie']).toEqual([
      `tierlab_token=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`,
    ])
    const cookie = { cookie: `tierlab_token=${TOKEN}` }
    const asset = await send(host.port, { path: '/app.js', headers: cookie })
    expect(asset.status).toBe(200)
    expect(asset.body).toBe('console.log("app")')
    expect((await postJson(host.port, '/api/topology.list', {}, cookie)).json()).toEqual({
      ok: true,
      value: [],
    })
  })

  it('lets a fresh ?token= win over a stale cookie from an earlier start', async () => {
    const res = await send(host.port, {
      path: `/?token=${TOKEN}`,
      headers: { cookie: 'tierlab_token=old' },
    })
    expect(res.status).toBe(200)
  })
})

describe('host and origin checks', () => {
  it.each(['evil.example', 'evil.example:80', '127.0.0.1', '127.0.0.1:1', 'localhost'])(
    'refuses Host %s with 403 even with the right token',
    async (hostHeader) => {
      const res = await postJson(host.port, '/api/app.info', {}, { ...bearer, host: hostHeader })
      expect(res.status).toBe(403)
      expect(res.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    },
  )

  it('refuses a foreign name on our own port (DNS rebinding keeps the port)', async () => {
    // A rebound evil.example page talks to 127.0.0.1:<port> but sends Host: evil.example:<port>.
    for (const hostHeader of [`evil.example:${host.port}`, `x127.0.0.1:${host.port}`]) {
      const res = await postJson(host.port, '/api/app.info', {}, { ...bearer, host: hostHeader })
      expect(res.status).toBe(403)
    }
  })

  it('accepts localhost:<port>', async () => {
    const res = await postJson(
      host.port,
      '/api/app.info',
      {},
      { ...bearer, host: `localhost:${host.port}` },
    )
    expect(res.status).toBe(200)
  })

  it('refuses a cross-site Origin', async () => {
    const res = await postJson(
      host.port,
      '/api/topology.list',
      {},
      { ...bearer, origin: 'http://evil.example' },
    )
    expect(res.status).toBe(403)
    const same = await postJson(
      host.port,
      '/api/topology.list',
      {},
      { ...bearer, origin: `http://127.0.0.1:${host.port}` },
    )
    expect(same.status).toBe(200)
  })
})

describe('security headers', () => {
  it('are on every response, refusals included', async () => {
    for (const res of [
      await send(host.port, { path: '/' }),
      await send(host.port, { path: `/?token=${TOKEN}` }),
      await postJson(host.port, '/api/app.info', {}, bearer),
      await postJson(host.port, '/api/app.info', {}, { ...bearer, host: 'evil.example' }),
    ]) {
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
    }
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    )
  })
})

describe('API calls', () => {
  it('maps error codes to HTTP statuses', async () => {
    const invalid = await postJson(host.port, '/api/runs.get', { id: 'x' }, bearer)
    expect(invalid.status).toBe(400)
    expect(invalid.json()).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', issues: [{ path: 'id' }] },
    })
    const missing = await postJson(host.port, '/api/runs.get', { id: 999 }, bearer)
    expect(missing.status).toBe(404)
    expect(missing.json()).toMatchObject({ error: { code: 'not-found' } })
  })

  it('saves through the API', async () => {
    const res = await postJson(host.port, '/api/topology.save', { topology: topologyDoc() }, bearer)
    expect(res.status).toBe(200)
    expect(res.json()).toMatchObject({ ok: true, value: { name: 'test machine' } })
  })

  it('answers bad JSON with 400 invalid-input', async () => {
    const res = await send(host.port, {
      method: 'POST',
      path: '/api/topology.list',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: '{"oops',
    })
    expect(res.status).toBe(400)
    expect(res.json()).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('not valid JSON') },
    })
  })

  it('requires Content-Type application/json', async () => {
    const res = await send(host.port, {
      method: 'POST',
      path: '/api/topology.list',
      headers: { ...bearer, 'content-type': 'text/plain' },
      body: '{}',
    })
    expect(res.status).toBe(415)
    expect(res.json()).toMatchObject({ error: { code: 'invalid-input' } })
  })

  it('accepts an empty body for a method without input', async () => {
    const res = await send(host.port, {
      method: 'POST',
      path: '/api/topology.list',
      headers: { ...bearer, 'content-type': 'application/json' },
    })
    expect(res.json()).toEqual({ ok: true, value: [] })
  })

  it.each([
    '/api/nope',
    '/api/__proto__',
    '/api/constructor',
    '/api/../etc/passwd',
    '/api/..%2f..%2fetc',
    '/api/',
    '/api',
  ])('answers %s with 404 unknown-method', async (path) => {
    const res = await postJson(host.port, path, {}, bearer)
    expect(res.status).toBe(404)
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
  })

  it('answers broken percent-encoding with 400', async () => {
    const res = await postJson(host.port, '/api/%E0%A4%A', {}, bearer)
    expect(res.status).toBe(400)
    expect(res.json()).toMatchObject({ error: { code: 'invalid-input' } })
  })

  it('answers a wrong HTTP method with 405', async () => {
    const res = await send(host.port, { path: '/api/app.info', headers: bearer })
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('POST')
    expect(res.json()).toMatchObject({ error: { code: 'invalid-input' } })
  })

  it('refuses a body over the limit with 413 and keeps serving', async () => {
    // The host under test allows 4096 bytes; this body is 5000.
    const res = await send(host.port, {
      method: 'POST',
      path: '/api/topology.import',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: 'x.json', text: 'x'.repeat(5000) }),
    })
    expect(res.status).toBe(413)
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect((await postJson(host.port, '/api/topology.list', {}, bearer)).status).toBe(200)
  })

  it('refuses an over-limit chunked body too', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: '/api/topology.list',
          headers: {
            ...bearer,
            host: `127.0.0.1:${host.port}`,
            'content-type': 'application/json',
            'transfer-encoding': 'chunked',
          },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      for (let i = 0; i < 10; i++) req.write('x'.repeat(1000))
      req.end()
    })
    expect(status).toBe(413)
  })
})

describe('static files', () => {
  it('serves index.html for client-side routes', async () => {
    const res = await send(host.port, { path: '/runs/42', headers: bearer })
    expect(res.status).toBe(200)
    expect(res.body).toBe(INDEX_HTML)
  })

  it('never serves files outside the folder', async () => {
    writeFileSync(join(db.dir, 'secret.txt'), 'secret')
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await send(host.port, { path, headers: bearer })
      expect(res.body).not.toContain('secret')
    }
  })

  it('serves no dotfile, at the top or in a subfolder', async () => {
    writeFileSync(join(staticDir, '.env'), 'TOKEN=dotfile-secret')
    mkdirSync(join(staticDir, '.git'))
    writeFileSync(join(staticDir, '.git', 'config'), 'dotfile-secret')
    mkdirSync(join(staticDir, 'assets'))
    writeFileSync(join(staticDir, 'assets', '.htpasswd'), 'dotfile-secret')
    for (const path of [
      '/.env',
      '/.git/config',
      '/assets/.htpasswd',
      '/%2eenv',
      '/assets/%2ehtpasswd',
    ]) {
      const res = await send(host.port, { path, headers: bearer })
      expect(res.body, path).not.toContain('dotfile-secret')
    }
  })

  it('does not follow a symlink out of the folder', async () => {
    writeFileSync(join(db.dir, 'outside.txt'), 'outside-secret')
    mkdirSync(join(db.dir, 'outside-dir'))
    writeFileSync(join(db.dir, 'outside-dir', 'x.js'), 'outside-secret')
    symlinkSync(join(db.dir, 'outside.txt'), join(staticDir, 'link.txt'))
    symlinkSync(join(db.dir, 'outside-dir'), join(staticDir, 'linked'))
    for (const path of ['/link.txt', '/linked/x.js']) {
      const res = await send(host.port, { path, headers: bearer })
      expect(res.body, path).not.toContain('outside-secret')
    }
    // A symlink that stays inside the folder is served.
    symlinkSync(join(staticDir, 'app.js'), join(staticDir, 'alias.js'))
    expect((await send(host.port, { path: '/alias.js', headers: bearer })).body).toContain('app')
  })

  it('refuses other methods than GET and HEAD', async () => {
    const res = await send(host.port, { method: 'DELETE', path: '/index.html', headers: bearer })
    expect(res.status).toBe(405)
  })

  it('says to build first when the folder has no index.html', async () => {
    const empty = join(db.dir, 'empty')
    mkdirSync(empty)
    const bare = await startWebHost({ services, staticDir: empty, token: TOKEN })
    try {
      const res = await send(bare.port, { path: '/', headers: bearer })
      expect(res.status).toBe(200)
      expect(res.body).toContain('npm run build')
    } finally {
      await bare.close()
    }
  })
})

/** Opens /api/events and collects the data of each message until `count` arrived. */
function collectEvents(
  port: number,
  headers: Record<string, string>,
  count: number,
  onOpen: () => void,
) {
  return new Promise<{ status: number; type: string; events: ApiEvent[]; ended: Promise<void> }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${port}`, ...headers },
        },
        (res) => {
          const events: ApiEvent[] = []
          let buffer = ''
          const ended = new Promise<void>((r) => res.on('end', () => r()))
          if (res.statusCode !== 200) {
            res.resume()
            resolve({
              status: res.statusCode ?? 0,
              type: String(res.headers['content-type']),
              events,
              ended,
            })
            return
          }
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            buffer += chunk
            if (buffer.includes(': connected')) onOpen()
            let end: number
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end)
              buffer = buffer.slice(end + 2)
              for (const line of block.split('\n')) {
                if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)))
              }
            }
            if (events.length >= count)
              resolve({ status: 200, type: String(res.headers['content-type']), events, ended })
          })
        },
      )
      req.on('error', reject)
      req.end()
    },
  )
}

describe('server-sent events', () => {
  it('require the token', async () => {
    const r = await collectEvents(host.port, {}, 1, () => undefined)
    expect(r.status).toBe(401)
  })

  it('deliver emitted events and write announcements, and end when the server closes', async () => {
    let opened = false
    const r = await collectEvents(host.port, { cookie: `tierlab_token=${TOKEN}` }, 2, () => {
      if (opened) return
      opened = true
      services.events.emit({ type: 'run-status', runId: 7, status: 'running' })
      void postJson(host.port, '/api/topology.save', { topology: topologyDoc() }, bearer)
    })
    expect(r.type).toBe('text/event-stream; charset=utf-8')
    expect(r.events).toEqual([
      { type: 'run-status', runId: 7, status: 'running' },
      { type: 'changed', what: 'topologies' },
    ])
    await host.close()
    await r.ended
  })

  it('send a heartbeat comment', async () => {
    const fast = await startWebHost({ services, staticDir, token: TOKEN, heartbeatMs: 20 })
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: fast.port,
            path: '/api/events',
            headers: { ...bearer, host: `127.0.0.1:${fast.port}` },
          },
          (res) => {
            let seen = ''
            res.setEncoding('utf8')
            res.on('data', (c: string) => {
              seen += c
              if (seen.includes(': heartbeat')) {
                resolve(seen)
                req.destroy()
              }
            })
          },
        )
        req.on('error', reject)
        req.end()
      })
      expect(text).toContain(': heartbeat\n\n')
    } finally {
      await fast.close()
    }
  })
})
