import type { TierlabBridge } from '../../../shared/api/bridge'
import type { TierlabClient } from '../../../shared/api/contract'
import { parseReply, unwrapReply } from './replies'

/** The client over the Electron preload's `window.tierlab` (main/preload/index.ts). */
export function createBridgeClient(bridge: TierlabBridge): TierlabClient {
  return {
    async call(method, input) {
      const reply = parseReply(await bridge.call(method, input), method)
      return unwrapReply(reply)
    },
    onEvent(listener) {
      return bridge.onEvent(listener)
    },
  }
}
