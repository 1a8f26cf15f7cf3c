import { createApp } from 'vue'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import {
  createFakeClient,
  type FakeClient,
  type FakeClientSeed,
} from '../../../../renderer/src/api/fake-client'
import { provideClient } from '../../../../renderer/src/api/provide'

/** A Pinia bound to an app that provides a fake client, as main.ts wires the real one. */
export function setupStores(seed: FakeClientSeed = {}): { client: FakeClient; pinia: Pinia } {
  const client = createFakeClient(seed)
  const app = createApp({})
  provideClient(app, client)
  const pinia = createPinia()
  app.use(pinia)
  setActivePinia(pinia)
  return { client, pinia }
}

/** Lets pending promise callbacks (store actions awaiting the fake) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0))
}
