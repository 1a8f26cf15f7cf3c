/**
 * A stand-in for the `electron` module (its binary is not available here; toolchain.md §2).
 * Test files use it with `vi.mock('electron', () => import('./fake-electron'))` and inspect the
 * same singletons. Only what main/app touches is modelled.
 */
import { EventEmitter } from 'node:events'
import { vi } from 'vitest'

type Listener = (event: unknown, ...args: unknown[]) => unknown

export const shell = { openExternal: vi.fn(async (_url: string) => {}) }

export const dialog = { showErrorBox: vi.fn() }

export const Menu = {
  setApplicationMenu: vi.fn(),
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
}

export const screen = {
  getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]),
}

export function createFakeSession() {
  return {
    webRequest: { onHeadersReceived: vi.fn() },
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
  }
}
export const session = { defaultSession: createFakeSession() }

export const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>()
export const protocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn((scheme: string, handler: (request: Request) => Promise<Response>) => {
    if (protocolHandlers.has(scheme)) throw new Error(`second handler for ${scheme}://`)
    protocolHandlers.set(scheme, handler)
  }),
}

export const ipcHandlers = new Map<string, Listener>()
export const ipcMain = {
  handle: vi.fn((channel: string, listener: Listener) => {
    if (ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`)
    ipcHandlers.set(channel, listener)
  }),
  removeHandler: vi.fn((channel: string) => {
    ipcHandlers.delete(channel)
  }),
}

let nextRoutingId = 1

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => unknown) | undefined
  readonly send = vi.fn()
  destroyed = false
  readonly mainFrame = { url: '', parent: null, processId: 7, routingId: nextRoutingId++ }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = []
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed)
  }
  readonly webContents = new FakeWebContents()
  readonly options: Record<string, unknown>
  normalBounds = { x: 10, y: 20, width: 1400, height: 900 }
  maximized = false
  destroyed = false
  shown = false
  constructor(options: Record<string, unknown>) {
    super()
    this.options = options
    BrowserWindow.instances.push(this)
  }
  loadFile = vi.fn(async (file: string) => {
    this.webContents.mainFrame.url = new URL(`file://${file}`).href
  })
  loadURL = vi.fn(async (url: string) => {
    this.webContents.mainFrame.url = url
  })
  getNormalBounds() {
    return this.normalBounds
  }
  isMaximized() {
    return this.maximized
  }
  maximize() {
    this.maximized = true
  }
  show() {
    this.shown = true
  }
  isDestroyed() {
    return this.destroyed
  }
  isMinimized() {
    return false
  }
  restore() {}
  focus() {}
}

class FakeApp extends EventEmitter {
  isPackaged = false
  singleInstance = true
  appPath = process.cwd()
  userDataDir = '/nonexistent-user-data'
  readonly enableSandbox = vi.fn()
  readonly quit = vi.fn()
  readonly exit = vi.fn()
  requestSingleInstanceLock(): boolean {
    return this.singleInstance
  }
  getAppPath(): string {
    return this.appPath
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`fake app has no path ${name}`)
    return this.userDataDir
  }
  getVersion(): string {
    return '0.1.0-test'
  }
  whenReady(): Promise<void> {
    return Promise.resolve()
  }
}
export const app = new FakeApp()

export default { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell }
