import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron'
import type { WebFrameMain } from 'electron'
import { openServices } from '../services'
import type { Services } from '../services'
import { createSenderCheck, forwardEvents, registerIpcHandlers } from '../host/ipc'
import type { SenderFrameLike } from '../host/ipc'
import { APP_INDEX_URL, APP_ORIGIN, installAppProtocol, registerAppScheme } from './app-protocol'
import { installAppMenu } from './menu'
import { resolveLocations } from './paths'
import type { AppLocations } from './paths'
import { denyAllPermissions, installContentSecurityPolicy } from './security'
import { createMainWindow } from './window'

/** A frame is ours when it is the main frame of the live Tierlab window (same process and id). */
function isMainFrameOf(window: BrowserWindow | null, frame: SenderFrameLike): boolean {
  if (window === null || window.isDestroyed()) return false
  const main = window.webContents.mainFrame
  const candidate = frame as Partial<Pick<WebFrameMain, 'processId' | 'routingId'>>
  return (
    frame === main ||
    (candidate.processId === main.processId && candidate.routingId === main.routingId)
  )
}

function fail(title: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  console.error(`${title}: ${message}`)
  dialog.showErrorBox(title, message)
  app.exit(1)
}

/**
 * Start the desktop app: one instance, services on the database, the typed IPC, one hardened
 * window. `mainDir` is the folder of the built main bundle (out/main), from which the preload
 * and the renderer are found.
 */
export function startApp(mainDir: string): void {
  // Every renderer sandboxed, whatever a future window forgets to set.
  app.enableSandbox()
  if (!app.requestSingleInstanceLock()) {
    // Two processes writing one SQLite file and two windows with one queue would only confuse.
    app.quit()
    return
  }
  // Privileged schemes can be registered only once, and only before 'ready'.
  registerAppScheme(protocol)
  let locations: AppLocations
  try {
    locations = resolveLocations({
      argv: process.argv,
      env: process.env,
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      appPath: app.getAppPath(),
      mainDir,
    })
  } catch (error) {
    // Before 'ready' no dialog can be shown; the message goes to the terminal that passed --db.
    console.error(`Tierlab: ${error instanceof Error ? error.message : String(error)}`)
    app.exit(2)
    return
  }

  let services: Services | undefined
  let mainWindow: BrowserWindow | null = null
  const disposers: Array<() => void> = []

  async function openWindow(): Promise<void> {
    const window = await createMainWindow({
      preloadPath: locations.preloadPath,
      userDataDir: app.getPath('userData'),
    })
    mainWindow = window
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null
    })
    if (locations.devServerUrl !== undefined) await window.loadURL(locations.devServerUrl)
    else await window.loadURL(APP_INDEX_URL)
  }

  app.on('second-instance', () => {
    if (mainWindow === null) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('window-all-closed', () => {
    // macOS apps stay alive without windows; the Dock icon reopens one ('activate').
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => {
    for (const dispose of disposers.splice(0)) dispose()
    services?.close()
  })

  app
    .whenReady()
    .then(async () => {
      installContentSecurityPolicy(session.defaultSession)
      installAppProtocol(protocol, locations.rendererDir)
      denyAllPermissions(session.defaultSession)
      installAppMenu(process.platform)
      services = openServices({
        dbPath: locations.databasePath,
        resourcesDir: locations.resourcesDir,
        host: 'electron',
        appVersion: app.getVersion(),
        // Runs the CLI starts or imports into the same file appear in the window within a second.
        watchDatabaseMs: 1000,
      })
      const isTrustedSender = createSenderCheck((frame) => isMainFrameOf(mainWindow, frame), {
        appOrigin: APP_ORIGIN,
        devServerUrl: locations.devServerUrl,
      })
      disposers.push(registerIpcHandlers(ipcMain, services, isTrustedSender))
      disposers.push(forwardEvents(services.events, () => mainWindow?.webContents ?? null))
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) {
          openWindow().catch((error: unknown) => fail('Tierlab could not open its window', error))
        }
      })
      await openWindow()
    })
    .catch((error: unknown) => fail('Tierlab could not start', error))
}
