import path from 'node:path'
import { defaultDatabasePath } from '../store/paths'

export interface AppLocations {
  /** The SQLite database: `--db`, else TIERLAB_DB, else the shared default (main/store/paths.ts). */
  databasePath: string
  /** Presets, schemas and examples: beside app.asar when packaged, the repo's resources/ in dev. */
  resourcesDir: string
  /** The built renderer (out/renderer), served to the window as app://tierlab/ (app-protocol.ts). */
  rendererDir: string
  rendererIndexPath: string
  /** The CommonJS preload electron-vite emits for the sandbox. */
  preloadPath: string
  /** electron-vite's dev server, only when unpackaged; undefined loads the built renderer. */
  devServerUrl?: string
}

export interface LocationInputs {
  argv: readonly string[]
  env: NodeJS.ProcessEnv
  isPackaged: boolean
  /** process.resourcesPath: the folder electron-builder's extraResources land in. */
  resourcesPath: string
  /** app.getAppPath(): the project folder in dev, app.asar when packaged. */
  appPath: string
  /** The folder of the built main bundle (out/main). */
  mainDir: string
}

/**
 * The value of `--db <file>` or `--db=<file>`. Electron hands the app its own flags too, so
 * anything else is ignored. A `--db` without a file is a mistake worth stopping for.
 */
export function databaseArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg.startsWith('--db=')) {
      const value = arg.slice('--db='.length)
      if (value.trim() === '') throw new Error('--db needs a file path, e.g. --db=/tmp/lab.db')
      return value
    }
    if (arg === '--db') {
      const value = argv[i + 1]
      if (value === undefined || value.startsWith('--') || value.trim() === '') {
        throw new Error('--db needs a file path, e.g. --db /tmp/lab.db')
      }
      return value
    }
  }
  return undefined
}

export function resolveLocations(inputs: LocationInputs): AppLocations {
  const fromArgs = databaseArgument(inputs.argv)
  const rendererDir = path.resolve(inputs.mainDir, '..', 'renderer')
  const devServer = inputs.env.ELECTRON_RENDERER_URL
  return {
    databasePath: path.resolve(fromArgs ?? defaultDatabasePath(inputs.env)),
    resourcesDir: inputs.isPackaged
      ? path.join(inputs.resourcesPath, 'resources')
      : path.join(inputs.appPath, 'resources'),
    rendererDir,
    rendererIndexPath: path.join(rendererDir, 'index.html'),
    preloadPath: path.resolve(inputs.mainDir, '..', 'preload', 'index.cjs'),
    // A packaged app never loads a URL from the environment: that would hand the API to any server.
    devServerUrl:
      !inputs.isPackaged && devServer !== undefined && devServer !== '' ? devServer : undefined,
  }
}
