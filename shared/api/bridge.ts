import type { ApiEvent, ApiInput, ApiMethod, ApiOutput } from './contract'
import type { ApiReply } from './errors'

/**
 * What the Electron preload exposes as `window.tierlab` (main/preload/index.ts). Replies are
 * plain `ApiReply` data, not thrown errors, because errors lose their fields crossing the
 * contextBridge; the renderer's client turns a failed reply into an `ApiError`.
 */
export interface TierlabBridge {
  /** Rejects before any IPC when `method` is not one of API_METHODS. */
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiReply<ApiOutput<M>>>
  /** Subscribe to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void
}
