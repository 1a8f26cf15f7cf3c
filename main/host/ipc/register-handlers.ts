import { API_METHODS, ipcChannel } from '../../../shared/api/methods'
import type { ApiReply } from '../../../shared/api/errors'
import { dispatch } from '../../services/dispatch'
import type { IpcMainLike, SenderCheck } from './types'

type Services = Parameters<typeof dispatch>[0]

const UNTRUSTED: ApiReply<never> = {
  ok: false,
  error: {
    code: 'unauthorized',
    message:
      'This page may not call the Tierlab API: only the main frame of the Tierlab window, ' +
      'showing the bundled workbench, may.',
  },
}

/**
 * One `ipcMain.handle` per API method, on its fixed `tierlab:` channel, so an unknown channel
 * has no handler at all. Each call checks its sender, then hands the raw input to `dispatch`,
 * which validates it with the contract's zod schema and never throws. Returns a function that
 * removes every handler.
 */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  services: Services,
  isTrustedSender: SenderCheck,
): () => void {
  const channels: string[] = []
  for (const method of API_METHODS) {
    const channel = ipcChannel(method)
    ipcMain.handle(channel, async (event, input) => {
      if (!isTrustedSender(event.senderFrame)) return UNTRUSTED
      return dispatch(services, method, input)
    })
    channels.push(channel)
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel)
  }
}
