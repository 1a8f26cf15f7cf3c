// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import {
  LAST_VIEW_KEY,
  rememberLastView,
  type KeyValueStorage,
} from '../../../../renderer/src/lib/lastView'

function mapStorage(
  initial: Record<string, string> = {},
): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map(Object.entries(initial))
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) }
}

function router() {
  const page = { template: '<p />' }
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', redirect: '/topologies' },
      { path: '/topologies', name: 'topologies', component: page },
      { path: '/runs', name: 'runs', component: page },
      { path: '/compare', name: 'compare', component: page },
    ],
  })
}

describe('rememberLastView', () => {
  it('goes back to the last view when the page opens without a route', async () => {
    const r = router()
    await rememberLastView(r, mapStorage({ [LAST_VIEW_KEY]: '/compare?runs=1,2' }), '')
    expect(r.currentRoute.value.fullPath).toBe('/compare?runs=1,2')
  })

  it('keeps an explicit route and records each navigation', async () => {
    const r = router()
    const storage = mapStorage({ [LAST_VIEW_KEY]: '/compare' })
    await rememberLastView(r, storage, '#/runs')
    expect(storage.map.get(LAST_VIEW_KEY)).toBe('/compare')
    await r.push('/runs')
    expect(r.currentRoute.value.fullPath).toBe('/runs')
    expect(storage.map.get(LAST_VIEW_KEY)).toBe('/runs')
  })

  it('ignores a stored value that is not an in-app path', async () => {
    const r = router()
    await rememberLastView(r, mapStorage({ [LAST_VIEW_KEY]: '//evil.example/x' }), '#/')
    await r.push('/')
    expect(r.currentRoute.value.fullPath).toBe('/topologies')
  })
})
