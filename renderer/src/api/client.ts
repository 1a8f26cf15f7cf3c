import type { TierlabBridge } from '../../../shared/api/bridge'
import type { TierlabClient } from '../../../shared/api/contract'
import { createBridgeClient } from './bridge-client'
import { createHttpClient, type HttpEnv } from './http-client'
import { takeToken, type TokenEnv } from './token'

export type ClientEnv = TokenEnv & HttpEnv & { tierlab?: TierlabBridge }

function browserEnv(): ClientEnv {
  return {
    location: window.location,
    history: window.history,
    sessionStorage: window.sessionStorage,
    fetch: window.fetch.bind(window),
    openEvents: (url) => new EventSource(url),
    // Present only in the Electron window (main/preload/index.ts exposes it).
    tierlab: (window as { tierlab?: TierlabBridge }).tierlab,
  }
}

/**
 * The API client for this page: the preload bridge under Electron, HTTP against the web host
 * otherwise. Call it before creating the router, so the token is gone from the address first.
 */
export function createClient(env: ClientEnv = browserEnv()): TierlabClient {
  if (env.tierlab) return createBridgeClient(env.tierlab)
  return createHttpClient(takeToken(env), env)
}
