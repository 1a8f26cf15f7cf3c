import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { API_METHODS, ApiError } from '../../../../shared/api'
import { dispatch, isApiMethod, type Services } from '../../../../main/services'
import { StoreError } from '../../../../main/store'
import { servicesWithRuns, tempDb, type TempDb } from './fixtures'

let db: TempDb
let services: Services

beforeEach(() => {
  db = tempDb()
  ;({ services } = servicesWithRuns(db))
})
afterEach(() => {
  services.close()
  db.cleanup()
  vi.restoreAllMocks()
})

describe('method names', () => {
  it.each([
    'nope',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'app.info ',
    'APP.INFO',
    '',
  ])('refuses %j as unknown-method', async (name) => {
    const reply = await dispatch(services, name, {})
    expect(reply).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
  })

  it.each([42, null, undefined, {}, ['app.info'], Symbol('app.info')])(
    'refuses a non-string method (%s)',
    async (name) => {
      const reply = await dispatch(services, name, {})
      expect(reply).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
    },
  )

  it('knows exactly the contract methods', () => {
    for (const m of API_METHODS) expect(isApiMethod(m)).toBe(true)
    expect(isApiMethod('__proto__')).toBe(false)
  })
})

describe('input validation', () => {
  it('reports wrong types per field', async () => {
    const reply = await dispatch(services, 'runs.get', { id: 'seven' })
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', issues: [{ path: 'id' }] },
    })
  })

  it('reports unknown fields', async () => {
    const reply = await dispatch(services, 'app.info', { extra: 1 })
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        issues: [{ path: 'extra', message: expect.stringContaining('unknown field') }],
      },
    })
  })

  it('refuses a non-object input as a whole', async () => {
    const reply = await dispatch(services, 'runs.list', 'all of them')
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', issues: [{ path: '(input)' }] },
    })
  })

  it('refuses a prototype-polluting input without polluting', async () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "id": 1}')
    const reply = await dispatch(services, 'runs.get', input)
    expect(reply.ok).toBe(false)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('accepts no input at all for a method without parameters', async () => {
    expect((await dispatch(services, 'topology.list', undefined)).ok).toBe(true)
  })

  it('refuses out-of-range numbers', async () => {
    const reply = await dispatch(services, 'runs.list', { limit: 0 })
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', issues: [{ path: 'limit' }] },
    })
  })
})

describe('errors from handlers', () => {
  const failing = (thrown: unknown): Services => ({
    ...services,
    handlers: {
      ...services.handlers,
      'topology.list': async () => {
        throw thrown
      },
    },
  })

  it('keeps ApiError and maps StoreError codes', async () => {
    expect(await dispatch(failing(new ApiError('conflict', 'taken')), 'topology.list', {})).toEqual(
      {
        ok: false,
        error: { code: 'conflict', message: 'taken' },
      },
    )
    expect(
      await dispatch(failing(new StoreError('not-found', 'gone')), 'topology.list', {}),
    ).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'gone' },
    })
    expect(
      await dispatch(failing(new StoreError('newer', 'too new')), 'topology.list', {}),
    ).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'too new' },
    })
  })

  it('hides unexpected errors behind internal and logs them', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const secret = new Error('SELECT * FROM secrets at /home/user/x.ts:12')
    const reply = await dispatch(failing(secret), 'topology.list', {})
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(reply)).not.toContain('secrets')
    expect(JSON.stringify(reply)).not.toContain('x.ts')
    expect(log).toHaveBeenCalledWith(expect.stringContaining('topology.list'), secret)
  })

  it('never throws, even for non-Error throws', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    await expect(dispatch(failing('a string'), 'topology.list', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'internal' },
    })
    await expect(dispatch(failing(undefined), 'topology.list', {})).resolves.toMatchObject({
      ok: false,
    })
  })
})
