import { describe, expect, it, vi } from 'vitest'
import { registerIpcHandlers } from '../../../../../main/host/ipc'
import type { InvokeEventLike, IpcMainLike, SenderFrameLike } from '../../../../../main/host/ipc'
import { createServiceEvents } from '../../../../../main/services/events'
import type { Services } from '../../../../../main/services/types'
import { API_METHODS } from '../../../../../shared/api/methods'

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown

/** A fake ipcMain that records handlers, as Electron's does, one per channel. */
function fakeIpcMain() {
  const handlers = new Map<string, Listener>()
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
    removeHandler(channel) {
      handlers.delete(channel)
    },
  }
  const invoke = (channel: string, frame: SenderFrameLike | null, ...args: unknown[]) => {
    const listener = handlers.get(channel)
    if (listener === undefined) throw new Error(`No handler registered for '${channel}'`)
    return Promise.resolve(listener({ senderFrame: frame }, ...args))
  }
  return { ipcMain, handlers, invoke }
}

function fakeServices() {
  const appInfo = vi.fn(async () => ({
    version: '9.8.7',
    engineVersion: 'e1',
    databasePath: '/tmp/x.db',
    host: 'electron' as const,
  }))
  const runsGet = vi.fn(async (input: { id: number }) => ({ id: input.id }))
  const services = {
    handlers: { 'app.info': appInfo, 'runs.get': runsGet },
    events: createServiceEvents(),
    close: () => {},
  } as unknown as Services
  return { services, appInfo, runsGet }
}

const ourFrame: SenderFrameLike = { url: 'file:///app/out/renderer/index.html', parent: null }
const trustOurFrame = (frame: SenderFrameLike | null) => frame === ourFrame

describe('registerIpcHandlers', () => {
  it('registers one handler per API method, each on its tierlab: channel', () => {
    const { ipcMain, handlers } = fakeIpcMain()
    registerIpcHandlers(ipcMain, fakeServices().services, trustOurFrame)
    // 11 methods in shared/api/methods.ts today; the list itself is the expectation.
    expect([...handlers.keys()].sort()).toEqual(API_METHODS.map((m) => `tierlab:${m}`).sort())
  })

  it('answers a trusted caller through dispatch', async () => {
    const { ipcMain, invoke } = fakeIpcMain()
    const { services, appInfo } = fakeServices()
    registerIpcHandlers(ipcMain, services, trustOurFrame)
    const reply = await invoke('tierlab:app.info', ourFrame, {})
    expect(reply).toEqual({
      ok: true,
      value: { version: '9.8.7', engineVersion: 'e1', databasePath: '/tmp/x.db', host: 'electron' },
    })
    expect(appInfo).toHaveBeenCalledTimes(1)
  })

  it('passes the input to dispatch, which validates it', async () => {
    const { ipcMain, invoke } = fakeIpcMain()
    const { services, runsGet } = fakeServices()
    registerIpcHandlers(ipcMain, services, trustOurFrame)
    expect(await invoke('tierlab:runs.get', ourFrame, { id: 42 })).toEqual({
      ok: true,
      value: { id: 42 },
    })
    const bad = (await invoke('tierlab:runs.get', ourFrame, { id: -1 })) as {
      ok: boolean
      error: { code: string }
    }
    expect(bad.ok).toBe(false)
    expect(bad.error.code).toBe('invalid-input')
    expect(runsGet).toHaveBeenCalledTimes(1)
  })

  it('refuses an untrusted sender without reaching the services', async () => {
    const { ipcMain, invoke } = fakeIpcMain()
    const { services, appInfo } = fakeServices()
    registerIpcHandlers(ipcMain, services, trustOurFrame)
    const stranger: SenderFrameLike = { url: 'https://evil.example/', parent: null }
    for (const frame of [stranger, null]) {
      const reply = (await invoke('tierlab:app.info', frame, {})) as {
        ok: boolean
        error: { code: string; message: string }
      }
      expect(reply.ok).toBe(false)
      expect(reply.error.code).toBe('unauthorized')
    }
    expect(appInfo).not.toHaveBeenCalled()
  })

  it('removes every handler when disposed', () => {
    const { ipcMain, handlers } = fakeIpcMain()
    const dispose = registerIpcHandlers(ipcMain, fakeServices().services, trustOurFrame)
    expect(handlers.size).toBe(API_METHODS.length)
    dispose()
    expect(handlers.size).toBe(0)
  })
})
