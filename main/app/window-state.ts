import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'

export const WINDOW_STATE_FILE = 'window-state.json'

/** The remembered window: outer bounds in device-independent pixels, and whether it was maximized. */
export const windowStateSchema = z.strictObject({
  xPx: z.number().int(),
  yPx: z.number().int(),
  widthPx: z.number().int().min(640).max(16_384),
  heightPx: z.number().int().min(480).max(16_384),
  maximized: z.boolean(),
})
export type WindowState = z.infer<typeof windowStateSchema>

export interface RectPx {
  x: number
  y: number
  width: number
  height: number
}

export const DEFAULT_WINDOW_SIZE = { widthPx: 1400, heightPx: 900 } as const

/**
 * Read the remembered state. A missing, unreadable or hand-edited file is not an error worth
 * bothering the user with: the window just opens at its default size.
 */
export async function loadWindowState(userDataDir: string): Promise<WindowState | undefined> {
  try {
    const text = await readFile(path.join(userDataDir, WINDOW_STATE_FILE), 'utf8')
    const parsed = windowStateSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** Write via a temporary file so a crash mid-write never leaves half a JSON behind. */
export async function saveWindowState(userDataDir: string, state: WindowState): Promise<void> {
  const file = path.join(userDataDir, WINDOW_STATE_FILE)
  await mkdir(userDataDir, { recursive: true })
  await writeFile(`${file}.tmp`, `${JSON.stringify(windowStateSchema.parse(state))}\n`, 'utf8')
  await rename(`${file}.tmp`, file)
}

/**
 * Whether a remembered position is still usable: at least 100×50 px of the title-bar region must
 * lie on one of today's displays, or a monitor that was unplugged would leave the window off-screen.
 */
export function isVisibleOnSomeDisplay(state: WindowState, workAreas: readonly RectPx[]): boolean {
  const titleBar = { x: state.xPx, y: state.yPx, width: state.widthPx, height: 50 }
  return workAreas.some((area) => {
    const overlapX =
      Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x)
    const overlapY =
      Math.min(titleBar.y + titleBar.height, area.y + area.height) - Math.max(titleBar.y, area.y)
    return overlapX >= 100 && overlapY >= 50
  })
}
