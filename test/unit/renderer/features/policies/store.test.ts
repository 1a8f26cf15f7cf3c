import { createApp } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import type { TierlabClient } from '../../../../../shared/api/contract'
import { provideClient } from '../../../../../renderer/src/api/provide'
import { usePoliciesStore } from '../../../../../renderer/src/features/policies/policiesStore'

const TEMPLATE = {
  name: 'promote-sampled.js',
  description: 'start here',
  source: 'export default {}',
}

/** A client whose template list arrives only when the test releases it, as a slow host would. */
function slowTemplatesClient(): { client: TierlabClient; release: () => void } {
  let release = (): void => {}
  const templates = new Promise((resolve) => (release = () => resolve([TEMPLATE])))
  const call = (method: string): Promise<unknown> => {
    if (method === 'policies.user.list') return Promise.resolve([])
    if (method === 'policies.templates') return templates
    if (method === 'policies.check') return Promise.resolve({ ok: true, diagnostics: [] })
    return Promise.reject(new Error(`unexpected ${method}`))
  }
  return { client: { call } as unknown as TierlabClient, release: () => release() }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0))
}

function storeWith(client: TierlabClient): ReturnType<typeof usePoliciesStore> {
  const app = createApp({})
  provideClient(app, client)
  const pinia = createPinia()
  app.use(pinia)
  setActivePinia(pinia)
  return usePoliciesStore()
}

describe('policies store: the starting template', () => {
  it('fills the editor and names the copy when the user has not named it', async () => {
    const { client, release } = slowTemplatesClient()
    const store = storeWith(client)
    const loaded = store.load()
    release()
    await loaded
    await settle()
    expect(store.source).toBe(TEMPLATE.source)
    expect(store.name).toBe('promote-sampled-copy.js')
  })

  it('keeps a name typed before the templates arrived', async () => {
    const { client, release } = slowTemplatesClient()
    const store = storeWith(client)
    const loaded = store.load()
    store.rename('mine.js')
    release()
    await loaded
    await settle()
    expect(store.source).toBe(TEMPLATE.source)
    expect(store.name).toBe('mine.js')
  })
})
