import type { TierlabBridge } from '../../shared/api/bridge'

/**
 * `window.tierlab`, which main/preload/index.ts exposes in the Electron window. It is absent in
 * web mode (the page is served by the Node host and talks HTTP), so check before use.
 */
declare global {
  interface Window {
    tierlab: TierlabBridge
  }
}

export {}
