import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  isVisibleOnSomeDisplay,
  loadWindowState,
  saveWindowState,
  WINDOW_STATE_FILE,
} from '../../../../main/app/window-state'
import type { WindowState } from '../../../../main/app/window-state'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tierlab-window-state-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const state: WindowState = { xPx: 100, yPx: 50, widthPx: 1200, heightPx: 800, maximized: true }

describe('window state file', () => {
  it('round-trips through userData', async () => {
    await saveWindowState(dir, state)
    expect(await loadWindowState(dir)).toEqual(state)
    expect(JSON.parse(await readFile(path.join(dir, WINDOW_STATE_FILE), 'utf8'))).toEqual(state)
  })

  it('creates userData when it does not exist yet', async () => {
    const nested = path.join(dir, 'first', 'start')
    await saveWindowState(nested, state)
    expect(await loadWindowState(nested)).toEqual(state)
  })

  it('ignores a missing, broken or hand-edited file', async () => {
    expect(await loadWindowState(dir)).toBeUndefined()
    const file = path.join(dir, WINDOW_STATE_FILE)
    await writeFile(file, '{"xPx": 1, ')
    expect(await loadWindowState(dir)).toBeUndefined()
    // 200 px wide is below the 640 px minimum.
    await writeFile(file, JSON.stringify({ ...state, widthPx: 200 }))
    expect(await loadWindowState(dir)).toBeUndefined()
    await writeFile(file, JSON.stringify({ ...state, extra: 1 }))
    expect(await loadWindowState(dir)).toBeUndefined()
    await writeFile(file, JSON.stringify({ ...state, xPx: 10.5 }))
    expect(await loadWindowState(dir)).toBeUndefined()
  })
})

describe('isVisibleOnSomeDisplay', () => {
  const laptop = { x: 0, y: 0, width: 1920, height: 1080 }
  const rightMonitor = { x: 1920, y: 0, width: 2560, height: 1440 }

  it('keeps a window whose title bar is on a display', () => {
    expect(isVisibleOnSomeDisplay(state, [laptop])).toBe(true)
    // On the right monitor: x 2000..3200 overlaps 1920..4480.
    expect(isVisibleOnSomeDisplay({ ...state, xPx: 2000 }, [laptop, rightMonitor])).toBe(true)
  })

  it('drops a window left on a monitor that is gone', () => {
    expect(isVisibleOnSomeDisplay({ ...state, xPx: 2000 }, [laptop])).toBe(false)
  })

  it('needs 100 px of the title bar horizontally and 50 px vertically', () => {
    // x = 1820: 1820..3020 overlaps the laptop's 0..1920 by exactly 100 px.
    expect(isVisibleOnSomeDisplay({ ...state, xPx: 1820 }, [laptop])).toBe(true)
    expect(isVisibleOnSomeDisplay({ ...state, xPx: 1821 }, [laptop])).toBe(false)
    // y = -1: the 50 px title bar spans -1..49, only 49 px on screen.
    expect(isVisibleOnSomeDisplay({ ...state, yPx: -1 }, [laptop])).toBe(false)
    expect(isVisibleOnSomeDisplay({ ...state, yPx: 1030 }, [laptop])).toBe(true)
  })
})
