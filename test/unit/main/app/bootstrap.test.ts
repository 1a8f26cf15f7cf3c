import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  app,
  BrowserWindow,
  ipcHandlers,
  Menu,
  protocol,
  protocolHandlers,
  session,
} from './fake-electron'
import { startApp } from '../../../../main/app/bootstrap'
import { API_METHODS } from '../../../../shared/api/methods'

vi.mock('electron', () => import('./fake-electron'))

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string } }

let tmp: string
let dbPath: string
let window: BrowserWindow
const mainDir = path.resolve('out/main')
const savedArgv = process.argv

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tierlab-app-'))
  dbPath = path.join(tmp, 'lab.db')
  app.userDataDir = path.join(tmp, 'userData')
  process.argv = ['/usr/bin/electron', '.', '--db', dbPath]
  startApp(mainDir)
  await vi.waitFor(() => {
    expect(BrowserWindow.instances).toHaveLength(1)
    expect(BrowserWindow.instances[0].loadURL).toHaveBeenCalled()
  })
  window = BrowserWindow.instances[0]
})
afterAll(async () => {
  process.argv = savedArgv
  app.emit('will-quit')
  await rm(tmp, { recursive: true, force: true })
})

function invoke(method: string, frame: unknown, input: unknown): Promise<Reply> {
  const listener = ipcHandlers.get(`tierlab:${method}`)
  if (listener === undefined) throw new Error(`no handler for ${method}`)
  return Promise.resolve(listener({ senderFrame: frame }, input)) as Promise<Reply>
}

describe('startApp', () => {
  it('sandboxes every renderer and takes the single-instance lock first', () => {
    expect(app.enableSandbox).toHaveBeenCalled()
    expect(app.quit).not.toHaveBeenCalled()
  })

  it('installs the CSP, the permission refusal and the menu on the default session', () => {
    expect(session.defaultSession.webRequest.onHeadersReceived).toHaveBeenCalledTimes(1)
    expect(session.defaultSession.setPermissionRequestHandler).toHaveBeenCalledTimes(1)
    expect(Menu.setApplicationMenu).toHaveBeenCalledTimes(1)
  })

  it('registers app:// as a privileged scheme and serves it once ready', () => {
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1)
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true },
      },
    ])
    expect(protocol.handle).toHaveBeenCalledTimes(1)
    expect(protocolHandlers.has('app')).toBe(true)
  })

  it('loads the built renderer from app:// (never file://) with the built preload', () => {
    expect(window.loadURL).toHaveBeenCalledWith('app://tierlab/index.html')
    expect(window.loadFile).not.toHaveBeenCalled()
    expect(window.options.webPreferences).toMatchObject({
      preload: path.resolve(mainDir, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
    })
  })

  it('serves the API to the window, on the database given by --db', async () => {
    expect([...ipcHandlers.keys()]).toHaveLength(API_METHODS.length)
    const reply = await invoke('app.info', window.webContents.mainFrame, {})
    expect(reply).toMatchObject({ ok: true, value: { host: 'electron', databasePath: dbPath } })
  })

  it('refuses a sub-frame, another frame, and our frame after it navigated away', async () => {
    const frame = window.webContents.mainFrame
    const subFrame = { ...frame, routingId: frame.routingId + 1, parent: frame }
    const otherWindowFrame = { ...frame, routingId: frame.routingId + 100 }
    for (const sender of [subFrame, otherWindowFrame, null]) {
      const reply = await invoke('app.info', sender, {})
      expect(reply.ok ? 'ok' : reply.error.code).toBe('unauthorized')
    }
    const ourUrl = frame.url
    // The same bundle opened from disk is no longer trusted: only app://tierlab/ is.
    const fromDisk = new URL(`file://${path.resolve(mainDir, '../renderer/index.html')}`).href
    try {
      for (const url of ['https://evil.example/', fromDisk]) {
        frame.url = url
        const reply = await invoke('app.info', frame, {})
        expect(reply.ok ? 'ok' : reply.error.code).toBe('unauthorized')
      }
    } finally {
      frame.url = ourUrl
    }
  })

  it('pushes service events to the window', async () => {
    const presets = await invoke('topology.presets', window.webContents.mainFrame, {})
    expect(presets.ok).toBe(true)
    const [first] = (presets as { value: Array<{ topology: unknown }> }).value
    const saved = await invoke('topology.save', window.webContents.mainFrame, {
      topology: first.topology,
    })
    expect(saved.ok).toBe(true)
    expect(window.webContents.send).toHaveBeenCalledWith('tierlab:event', {
      type: 'changed',
      what: 'topologies',
    })
  })

  it('quits at once when another instance holds the lock', () => {
    app.singleInstance = false
    const windowsBefore = BrowserWindow.instances.length
    startApp(mainDir)
    app.singleInstance = true
    expect(app.quit).toHaveBeenCalledTimes(1)
    expect(BrowserWindow.instances).toHaveLength(windowsBefore)
    // Electron allows registerSchemesAsPrivileged once: the losing instance must not call it again.
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1)
  })

  it('removes the IPC handlers and closes the services on quit', () => {
    app.emit('will-quit')
    expect(ipcHandlers.size).toBe(0)
  })
})
