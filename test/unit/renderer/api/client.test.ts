import { describe, expect, it, vi } from 'vitest'
import type { TierlabBridge } from '../../../../shared/api/bridge'
import type { ApiEvent } from '../../../../shared/api/contract'
import { ApiError } from '../../../../shared/api/errors'
import { createClient, type ClientEnv } from '../../../../renderer/src/api/client'
import type { EventSourceLike } from '../../../../renderer/src/api/http-client'
import { TOKEN_STORAGE_KEY } from '../../../../renderer/src/api/token'

const info = { version: '1.2.3', engineVersion: 'e1', databasePath: '/data/t.db', host: 'web' }

function fakeEventSource(): EventSourceLike & { url: string; closed: boolean; named: string[] } {
  return {
    url: '',
    closed: false,
    named: [],
    onmessage: null,
    addEventListener(type) {
      this.named.push(type)
    },
    close() {
      this.closed = true
    },
  }
}

function browser(href: string, reply: unknown = { ok: true, value: info }, status = 200) {
  const storage = new Map<string, string>()
  const replaced: string[] = []
  const sources: ReturnType<typeof fakeEventSource>[] = []
  const fetch = vi.fn(async () => new Response(JSON.stringify(reply), { status }))
  const env: ClientEnv = {
    location: { href },
    history: { state: null, replaceState: (_s, _t, url) => replaced.push(String(url)) },
    sessionStorage: {
      getItem: (k) => storage.get(k) ?? null,
      setItem: (k, v) => void storage.set(k, v),
    },
    fetch: fetch as unknown as typeof globalThis.fetch,
    openEvents: (url) => {
      const s = fakeEventSource()
      s.url = url
      sources.push(s)
      return s
    },
  }
  return { env, storage, replaced, sources, fetch }
}

describe('createClient', () => {
  it('uses the preload bridge when window.tierlab exists, and never fetches', async () => {
    const b = browser('file:///app/index.html#/topologies')
    const bridge: TierlabBridge = {
      call: vi.fn(async () => ({ ok: true as const, value: info })) as TierlabBridge['call'],
      onEvent: vi.fn(() => () => {}),
    }
    const client = createClient({ ...b.env, tierlab: bridge })
    expect(await client.call('app.info', {})).toEqual(info)
    expect(bridge.call).toHaveBeenCalledWith('app.info', {})
    expect(b.fetch).not.toHaveBeenCalled()
  })

  it('rebuilds an ApiError from a failed bridge reply', async () => {
    const issues = [{ path: 'components[0].cores', message: 'a socket needs at least 1 core' }]
    const bridge: TierlabBridge = {
      call: (async () => ({
        ok: false as const,
        error: { code: 'invalid-input' as const, message: 'bad topology', issues },
      })) as TierlabBridge['call'],
      onEvent: () => () => {},
    }
    const client = createClient({ ...browser('file:///x').env, tierlab: bridge })
    const err = await client.call('topology.analyze', { topology: {} }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('invalid-input')
    expect((err as ApiError).issues).toEqual(issues)
  })

  it('over HTTP takes the token from the address, keeps it, and removes it from the address', async () => {
    const b = browser('http://127.0.0.1:4000/?token=abc123&x=1#/runs')
    const client = createClient(b.env)
    expect(b.storage.get(TOKEN_STORAGE_KEY)).toBe('abc123')
    expect(b.replaced).toEqual(['/?x=1#/runs'])
    expect(await client.call('app.info', {})).toEqual(info)
    expect(b.fetch).toHaveBeenCalledWith('/api/app.info', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer abc123' },
      body: '{}',
      credentials: 'same-origin',
    })
  })

  it('after a reload (no token in the address) uses the remembered token', async () => {
    const b = browser('http://127.0.0.1:4000/#/topologies')
    b.storage.set(TOKEN_STORAGE_KEY, 'kept')
    const client = createClient(b.env)
    await client.call('runs.list', {})
    expect(b.replaced).toEqual([])
    const init = b.fetch.mock.calls[0] as unknown as [string, RequestInit]
    expect((init[1].headers as Record<string, string>).Authorization).toBe('Bearer kept')
  })

  it('turns an error reply into an ApiError with its code and message', async () => {
    const b = browser(
      'http://127.0.0.1:4000/',
      { ok: false, error: { code: 'unauthorized', message: 'missing or wrong token' } },
      401,
    )
    const client = createClient(b.env)
    await expect(client.call('app.info', {})).rejects.toMatchObject({
      name: 'ApiError',
      code: 'unauthorized',
      message: 'missing or wrong token',
    })
  })

  it('refuses a body that is not an API reply', async () => {
    const b = browser('http://127.0.0.1:4000/', { hello: 'world' })
    await expect(createClient(b.env).call('app.info', {})).rejects.toMatchObject({
      code: 'internal',
    })
  })

  it('opens the event stream on the first subscriber and closes it after the last', () => {
    const b = browser('http://127.0.0.1:4000/')
    const client = createClient(b.env)
    expect(b.sources).toHaveLength(0)
    const got: ApiEvent[] = []
    const off1 = client.onEvent((e) => got.push(e))
    const off2 = client.onEvent(() => {})
    expect(b.sources).toHaveLength(1)
    const source = b.sources[0]
    expect(source.url).toBe('/api/events')
    const event: ApiEvent = { type: 'changed', what: 'runs' }
    source.onmessage?.({ data: JSON.stringify(event) } as MessageEvent)
    source.onmessage?.({ data: '{"type":"bogus"}' } as MessageEvent)
    source.onmessage?.({ data: 'not json' } as MessageEvent)
    expect(got).toEqual([event])
    off1()
    expect(source.closed).toBe(false)
    off2()
    expect(source.closed).toBe(true)
  })
})
