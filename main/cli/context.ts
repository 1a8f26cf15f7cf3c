import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { ApiError, type ApiMethod, type ApiOutput, type ApiInput } from '../../shared/api'
import { dispatch, openServices, type Services } from '../services'
import { defaultDatabasePath } from '../store'

/** Where a command writes; the real process streams, or buffers in tests. */
export interface CliIO {
  out(text: string): void
  err(text: string): void
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
}

/** The options every command takes. */
export interface CommonOptions {
  db: string
  json?: boolean
}

/** `--db FILE` and `--json`, on every command (DESIGN.md §8). */
export function withCommonOptions(command: Command): Command {
  return command
    .option('--db <file>', "the run database (default: the desktop app's, or $TIERLAB_DB)")
    .option('--json', 'print machine-readable JSON and nothing else on stdout')
}

export function databasePath(options: { db?: string }): string {
  return options.db ?? defaultDatabasePath()
}

export function printJson(io: CliIO, value: unknown): void {
  io.out(JSON.stringify(value, null, 2))
}

/** Whether there is a database to read; reading commands do not create one. */
export function databaseExists(options: { db?: string }): boolean {
  return existsSync(databasePath(options))
}

/**
 * Opens the services on the database for one command and closes them afterwards, whatever
 * happens. Calls go through `dispatch`, so the CLI validates exactly as the app does.
 */
export async function withServices<T>(
  options: { db?: string },
  use: (
    call: <M extends ApiMethod>(method: M, input: ApiInput<M>) => Promise<ApiOutput<M>>,
  ) => Promise<T>,
): Promise<T> {
  const services: Services = openServices({ dbPath: databasePath(options), host: 'web' })
  try {
    return await use(async (method, input) => {
      const reply = await dispatch(services, method, input)
      if (!reply.ok) throw ApiError.fromData(reply.error)
      return reply.value as ApiOutput<typeof method>
    })
  } finally {
    services.close()
  }
}
