import { startWebMode } from '../../host/web'
import { databasePath, printJson, withCommonOptions, type CommonOptions } from '../context'
import { badInput } from '../errors'
import type { RegisterCommand } from './types'

interface ServeOptions extends CommonOptions {
  port?: string
  open?: boolean
  static?: string
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw badInput(
      `--port: "${value}" is not a TCP port; give a number from 1 to 65535, or 0 for any free port`,
    )
  }
  return port
}

/** Resolves on SIGINT/SIGTERM, so the command returns and the process exits cleanly. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

/** The web mode: the workbench in a browser, on 127.0.0.1 with a per-start token. */
export const registerServe: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('serve')
      .description('serve the workbench on 127.0.0.1 for a browser (web mode)')
      .option('--port <n>', 'TCP port (default: any free port)')
      .option('--open', 'open the page in a browser')
      .option('--static <dir>', 'the built renderer to serve (default: out/renderer)'),
  ).action(async (options: ServeOptions) => {
    const port = parsePort(options.port)
    const web = await startWebMode({
      dbPath: databasePath(options),
      port,
      staticDir: options.static,
      open: options.open,
      log: options.json ? () => undefined : (line) => io.out(line),
    })
    if (options.json) printJson(io, { url: web.url, port: web.host.port, token: web.host.token })
    await untilSignal()
    await web.close()
  })
}
