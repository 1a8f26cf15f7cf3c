import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BrowserWindow, screen, shell } from './fake-electron'
import { createMainWindow } from '../../../../main/app/window'
import { WINDOW_STATE_FILE } from '../../../../main/app/window-state'

vi.mock('electron', () => import('./fake-electron'))

let userDataDir: string
beforeEach(async () => {
  userDataDir = await mkdtemp(path.join(os.tmpdir(), 'tierlab-window-'))
  BrowserWindow.instances.length = 0
})
afterEach(async () => {
  await rm(userDataDir, { recursive: true, force: true })
})

const preloadPath = '/opt/tierlab/out/preload/index.cjs'

describe('createMainWindow', () => {
  it('opens at the default size with the hardened preferences', async () => {
    const window = (await createMainWindow({
      preloadPath,
      userDataDir,
    })) as unknown as BrowserWindow
    expect(window.options).toMatchObject({ width: 1400, height: 900, show: false })
    expect(window.options).not.toHaveProperty('x')
    // Isolated, sandboxed, no Node anywhere, same-origin policy on, no <webview>.
    expect(window.options.webPreferences).toEqual({
      preload: preloadPath,
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
    })
    // Locked down at creation: new windows are denied.
    expect(window.webContents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    })
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/')
  })

  it('restores the remembered bounds and maximized state', async () => {
    const remembered = { xPx: 300, yPx: 200, widthPx: 1000, heightPx: 700, maximized: true }
    await writeFile(path.join(userDataDir, WINDOW_STATE_FILE), JSON.stringify(remembered))
    const window = (await createMainWindow({
      preloadPath,
      userDataDir,
    })) as unknown as BrowserWindow
    expect(window.options).toMatchObject({ x: 300, y: 200, width: 1000, height: 700 })
    window.emit('ready-to-show')
    expect(window.maximized).toBe(true)
    expect(window.shown).toBe(true)
  })

  it('ignores a remembered position on a display that is gone', async () => {
    const remembered = { xPx: 5000, yPx: 200, widthPx: 1000, heightPx: 700, maximized: false }
    await writeFile(path.join(userDataDir, WINDOW_STATE_FILE), JSON.stringify(remembered))
    screen.getAllDisplays.mockReturnValueOnce([
      { workArea: { x: 0, y: 0, width: 1920, height: 1080 } },
    ])
    const window = (await createMainWindow({
      preloadPath,
      userDataDir,
    })) as unknown as BrowserWindow
    expect(window.options).toMatchObject({ width: 1400, height: 900 })
    expect(window.options).not.toHaveProperty('x')
  })

  it('remembers its normal bounds when closed', async () => {
    const window = (await createMainWindow({
      preloadPath,
      userDataDir,
    })) as unknown as BrowserWindow
    window.normalBounds = { x: 40, y: 30, width: 1280.4, height: 720 }
    window.maximized = true
    window.emit('close')
    const file = path.join(userDataDir, WINDOW_STATE_FILE)
    await vi.waitFor(async () => {
      // 1280.4 rounds to 1280.
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
        xPx: 40,
        yPx: 30,
        widthPx: 1280,
        heightPx: 720,
        maximized: true,
      })
    })
  })
})
