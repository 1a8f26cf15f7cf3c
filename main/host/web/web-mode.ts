import { openServices } from '../../services'
import { openInBrowser } from './open-browser'
import { startWebHost, type WebHost } from './start-web-host'

export interface WebModeOptions {
  dbPath: string
  port?: number
  /** Defaults to the project's out/renderer. */
  staticDir?: string
  /** Open the page in a browser once the server listens. */
  open?: boolean
  resourcesDir?: string
  /** Where the URL line goes (stdout by default). */
  log?: (line: string) => void
}

export interface WebMode {
  host: WebHost
  /** The URL with `?token=`, as printed. */
  url: string
  close(): Promise<void>
}

/** `tierlab serve` and `npm start` without Electron: services + web host + the printed URL. */
export async function startWebMode(options: WebModeOptions): Promise<WebMode> {
  const services = openServices({
    dbPath: options.dbPath,
    resourcesDir: options.resourcesDir,
    host: 'web',
    // Runs the CLI starts or imports into the same file appear in the open page within a second.
    watchDatabaseMs: 1000,
  })
  let host: WebHost
  try {
    host = await startWebHost({
      services,
      port: options.port ?? 0,
      staticDir: options.staticDir,
    })
  } catch (err) {
    services.close()
    throw err
  }
  const url = `${host.url}?token=${host.token}`
  const log = options.log ?? ((line: string) => console.log(line))
  log(`Tierlab web mode: ${url}`)
  if (options.open) void openInBrowser(url)
  return {
    host,
    url,
    async close() {
      await host.close()
      services.close()
    },
  }
}
