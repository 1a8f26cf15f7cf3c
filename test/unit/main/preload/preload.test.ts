import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { TierlabBridge } from '../../../../shared/api/bridge'

// The preload's only import besides the method list; Electron's binary is not available here.
const fake = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'answer' })),
}))
vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  const ipcRenderer = Object.assign(new Emitter(), { invoke: fake.invoke })
  return { contextBridge: { exposeInMainWorld: fake.exposeInMainWorld }, ipcRenderer }
})

const electron = (await import('electron')) as unknown as {
  ipcRenderer: EventEmitter & { invoke: typeof fake.invoke }
}
await import('../../../../main/preload/index')
const [[globalName, bridge]] = fake.exposeInMainWorld.mock.calls as [[string, TierlabBridge]]

describe('preload', () => {
  beforeEach(() => fake.invoke.mockClear())

  it('exposes exactly call and onEvent as window.tierlab', () => {
    expect(fake.exposeInMainWorld).toHaveBeenCalledTimes(1)
    expect(globalName).toBe('tierlab')
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onEvent'])
  })

  it('sends a known method on its own channel with the input', async () => {
    await expect(bridge.call('runs.get', { id: 7 })).resolves.toEqual({ ok: true, value: 'answer' })
    expect(fake.invoke).toHaveBeenCalledWith('tierlab:runs.get', { id: 7 })
  })

  it('rejects anything else before IPC', async () => {
    const call = bridge.call as (method: unknown, input: unknown) => Promise<unknown>
    for (const method of ['runs.drop', '__proto__', 'tierlab:event', '', 42, undefined]) {
      await expect(call(method, {})).rejects.toThrow(/Unknown Tierlab API method/)
    }
    expect(fake.invoke).not.toHaveBeenCalled()
  })

  it('passes events to the listener without the IpcRendererEvent, until unsubscribed', () => {
    const received: unknown[][] = []
    const unsubscribe = bridge.onEvent((...args: unknown[]) => received.push(args))
    const ipcEvent = { sender: electron.ipcRenderer, senderId: 0 }
    electron.ipcRenderer.emit('tierlab:event', ipcEvent, { type: 'changed', what: 'runs' })
    electron.ipcRenderer.emit('some-other-channel', ipcEvent, { type: 'changed', what: 'runs' })
    unsubscribe()
    electron.ipcRenderer.emit('tierlab:event', ipcEvent, { type: 'changed', what: 'topologies' })
    expect(received).toEqual([[{ type: 'changed', what: 'runs' }]])
    expect(electron.ipcRenderer.listenerCount('tierlab:event')).toBe(0)
  })

  it('refuses a listener that is not a function', () => {
    const onEvent = bridge.onEvent as (listener: unknown) => unknown
    expect(() => onEvent('alert(1)')).toThrow(TypeError)
  })
})
