import { BrowserWindow, screen } from 'electron'
import { lockDownWebContents } from './security'
import {
  DEFAULT_WINDOW_SIZE,
  isVisibleOnSomeDisplay,
  loadWindowState,
  saveWindowState,
} from './window-state'
import type { WindowState } from './window-state'

export interface MainWindowOptions {
  preloadPath: string
  userDataDir: string
}

export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const remembered = await loadWindowState(options.userDataDir)
  const workAreas = screen.getAllDisplays().map((display) => display.workArea)
  const usable =
    remembered !== undefined && isVisibleOnSomeDisplay(remembered, workAreas)
      ? remembered
      : undefined
  const window = new BrowserWindow({
    title: 'Tierlab',
    width: usable?.widthPx ?? DEFAULT_WINDOW_SIZE.widthPx,
    height: usable?.heightPx ?? DEFAULT_WINDOW_SIZE.heightPx,
    ...(usable !== undefined ? { x: usable.xPx, y: usable.yPx } : {}),
    minWidth: 900,
    minHeight: 600,
    // Shown once the first paint is ready, so the user never sees a white flash.
    show: false,
    // The renderer is an untrusted web page as far as main is concerned (Electron security
    // checklist): isolated from the preload, sandboxed, no Node, same-origin policy on, no
    // <webview>. Spellcheck is off because it would download dictionaries from Google; middle
    // click (auxclick) cannot open anything. Written out here, not built by a helper, so a
    // reviewer and `npm run scan:electron` (@doyensec/electronegativity) both see every flag.
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    },
  })
  lockDownWebContents(window.webContents)
  window.once('ready-to-show', () => {
    if (usable?.maximized === true) window.maximize()
    window.show()
  })
  window.on('close', () => {
    // Normal bounds, so a maximized window reopens maximized over its previous restored size.
    const bounds = window.getNormalBounds()
    const state: WindowState = {
      xPx: Math.round(bounds.x),
      yPx: Math.round(bounds.y),
      widthPx: Math.round(bounds.width),
      heightPx: Math.round(bounds.height),
      maximized: window.isMaximized(),
    }
    saveWindowState(options.userDataDir, state).catch((error: unknown) => {
      console.warn(`Could not remember the window position: ${String(error)}`)
    })
  })
  return window
}
