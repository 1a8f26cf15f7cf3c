import { inject, type App, type InjectionKey } from 'vue'
import type { TierlabClient } from '../../../shared/api/contract'

export const clientKey: InjectionKey<TierlabClient> = Symbol('tierlab-client')

/** Makes the client available to components and (through the app context) to Pinia stores. */
export function provideClient(app: App, client: TierlabClient): void {
  app.provide(clientKey, client)
}

/** The API client; stores call it in their setup (Pinia runs it inside the app's context). */
export function useClient(): TierlabClient {
  const client = inject(clientKey, null)
  if (!client) throw new Error('No Tierlab API client: call provideClient(app, client) at startup.')
  return client
}
