import { Command, CommanderError } from 'commander'
import { readAppVersion } from '../services'
import { COMMANDS } from './commands'
import { processIO, type CliIO } from './context'
import { describeFailure, EXIT_BAD_INPUT } from './errors'

/** The `tierlab` program with every command of commands/index.ts. */
export function buildProgram(io: CliIO = processIO): Command {
  const program = new Command('tierlab')
    .description('Tierlab: memory-tiering experiments from the command line')
    .version(readAppVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    })
    .showHelpAfterError('(run with --help for usage)')
  for (const register of COMMANDS) register(program, io)
  return program
}

/**
 * Runs the CLI on `argv` (process.argv shape) and returns the exit code; never calls
 * process.exit, so output is flushed before the process ends.
 */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const program = buildProgram(io)
  try {
    await program.parseAsync(argv)
    return 0
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its message; usage mistakes are bad input.
      return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT
    }
    const { message, exitCode } = describeFailure(err)
    io.err(message)
    return exitCode
  }
}
