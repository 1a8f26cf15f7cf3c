/**
 * The sandboxed preload: it may require only `electron` (and a few polyfills), so it stays tiny
 * and imports nothing but the zod-free method list. It exposes the typed API and nothing else:
 * no ipcRenderer, no generic invoke, no Electron objects (style-anchors.md, "What to absorb" 3).
 */
import { contextBridge, ipcRenderer } from 'electron'
import { API_METHODS, IPC_EVENT_CHANNEL, ipcChannel } from '../../shared/api/methods'
import type { ApiMethodName } from '../../shared/api/methods'
import type { ApiEvent } from '../../shared/api/contract'
import type { TierlabBridge } from '../../shared/api/bridge'

/** The ipcRenderer calls the bridge needs; tests pass a fake. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

const knownMethods: ReadonlySet<string> = new Set(API_METHODS)

function isApiMethod(method: unknown): method is ApiMethodName {
  return typeof method === 'string' && knownMethods.has(method)
}

export function createBridge(ipc: IpcRendererLike): TierlabBridge {
  return {
    call(method, input) {
      // Checked here as well as in main so a typo fails fast and no other channel is reachable.
      if (!isApiMethod(method)) {
        return Promise.reject(
          new Error(
            `Unknown Tierlab API method ${JSON.stringify(method)}; use one of: ${API_METHODS.join(', ')}.`,
          ),
        )
      }
      return ipc.invoke(ipcChannel(method), input) as ReturnType<TierlabBridge['call']>
    },
    onEvent(listener) {
      if (typeof listener !== 'function') {
        throw new TypeError('tierlab.onEvent needs a function (event) => void.')
      }
      // Only the payload crosses: the IpcRendererEvent would hand the page `sender` (ipcRenderer).
      const wrapped = (_event: unknown, payload: unknown): void => listener(payload as ApiEvent)
      ipc.on(IPC_EVENT_CHANNEL, wrapped)
      return () => {
        ipc.removeListener(IPC_EVENT_CHANNEL, wrapped)
      }
    },
  }
}

contextBridge.exposeInMainWorld('tierlab', createBridge(ipcRenderer))
