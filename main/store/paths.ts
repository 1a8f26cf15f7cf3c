import os from 'node:os'
import path from 'node:path'

/** The Electron `productName`: Electron names the userData folder after it. */
const PRODUCT_FOLDER = 'Tierlab'
export const DATABASE_FILE_NAME = 'tierlab.db'

const nonEmpty = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value : undefined

/**
 * Where the desktop app keeps its database, so the CLI and the web host find the same runs
 * (DESIGN.md §6, §8). `TIERLAB_DB` wins; otherwise the folder Electron's `app.getPath('userData')`
 * gives for productName "Tierlab" — computed here without Electron so plain Node agrees with it.
 */
export function defaultDatabasePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = nonEmpty(env.TIERLAB_DB)
  if (override !== undefined) return override
  if (platform === 'win32') {
    const appData = nonEmpty(env.APPDATA) ?? path.win32.join(home, 'AppData', 'Roaming')
    return path.win32.join(appData, PRODUCT_FOLDER, DATABASE_FILE_NAME)
  }
  if (platform === 'darwin') {
    return path.posix.join(
      home,
      'Library',
      'Application Support',
      PRODUCT_FOLDER,
      DATABASE_FILE_NAME,
    )
  }
  // Linux and the other Unixes: Electron follows the XDG base-directory spec.
  const configHome = nonEmpty(env.XDG_CONFIG_HOME) ?? path.posix.join(home, '.config')
  return path.posix.join(configHome, PRODUCT_FOLDER, DATABASE_FILE_NAME)
}
