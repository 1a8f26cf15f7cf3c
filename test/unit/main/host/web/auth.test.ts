import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { authenticate, isAllowedOrigin } from '../../../../../main/host/web/auth'

// The token checks one by one (the mutation check found these cases untested).
const TOKEN = 'test-token-0123456789abcdefghijklmn'
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage
const at = (path = '/') => new URL(path, 'http://127.0.0.1:1234')

describe('authenticate', () => {
  it('takes the bearer header only in the exact `Bearer <token>` form', () => {
    expect(authenticate(req({ authorization: `Bearer ${TOKEN}` }), at(), TOKEN)).toBe('header')
    expect(authenticate(req({ authorization: `bearer   ${TOKEN}  ` }), at(), TOKEN)).toBe('header')
    for (const bad of [
      `Bearer${TOKEN}`,
      `xBearer ${TOKEN}`,
      `Bearer ${TOKEN} extra`,
      `Bearer ${TOKEN}x`,
      `Basic ${TOKEN}`,
    ])
      expect(authenticate(req({ authorization: bad }), at(), TOKEN), bad).toBeNull()
  })

  it('finds the token cookie among others, and only under its own name', () => {
    const cookie = (c: string) => authenticate(req({ cookie: c }), at(), TOKEN)
    expect(cookie(`a=1; flag; tierlab_token=${TOKEN}; b=2`)).toBe('cookie')
    expect(cookie(`tierlab_token=${TOKEN}`)).toBe('cookie')
    expect(cookie(`xtierlab_token=${TOKEN}`)).toBeNull()
    expect(cookie(`tierlab_token=${TOKEN}; `)).toBe('cookie')
    expect(cookie(`=tierlab_token; tierlab_token=wrong`)).toBeNull()
    expect(cookie(`tierlab_token=x${TOKEN}`)).toBeNull()
    expect(cookie('flag')).toBeNull()
  })

  it('prefers the query over a stale cookie', () => {
    const r = req({ cookie: 'tierlab_token=old' })
    expect(authenticate(r, at(`/?token=${TOKEN}`), TOKEN)).toBe('query')
    expect(authenticate(r, at('/?token=old'), TOKEN)).toBeNull()
  })
})

describe('isAllowedOrigin', () => {
  it('allows no Origin and our own two, nothing else', () => {
    expect(isAllowedOrigin(undefined, 1234)).toBe(true)
    expect(isAllowedOrigin('http://127.0.0.1:1234', 1234)).toBe(true)
    expect(isAllowedOrigin('http://localhost:1234', 1234)).toBe(true)
    for (const bad of [
      '',
      'null',
      'http://localhost:1235',
      'http://evil.example:1234',
      'https://localhost:1234',
    ])
      expect(isAllowedOrigin(bad, 1234), bad).toBe(false)
  })
})
