import type { Command } from 'commander'
import type { CliIO } from '../context'

/**
 * One CLI command: adds itself to the program. Each lives in its own file and is listed once in
 * commands/index.ts. Actions throw (CliError for the user's mistakes); index.ts turns that into
 * one line on stderr and the exit code.
 */
export type RegisterCommand = (program: Command, io: CliIO) => void
