import { ApiError } from '../../shared/api'
import { StoreError } from '../store'

/** Exit codes: 2 for input the user can fix (bad file, bad argument), 1 for everything else. */
export const EXIT_BAD_INPUT = 2
export const EXIT_FAILURE = 1

/** A failure the CLI reports as one sentence on stderr, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

export function badInput(message: string): CliError {
  return new CliError(message, EXIT_BAD_INPUT)
}

/** The one line and exit code for anything a command threw. */
export function describeFailure(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode }
  if (err instanceof ApiError) {
    return {
      message: err.message,
      exitCode: err.code === 'invalid-input' ? EXIT_BAD_INPUT : EXIT_FAILURE,
    }
  }
  if (err instanceof StoreError) return { message: err.message, exitCode: EXIT_FAILURE }
  const detail = err instanceof Error ? err.message : String(err)
  if (process.env.TIERLAB_DEBUG && err instanceof Error && err.stack) console.error(err.stack)
  return {
    message: `tierlab: unexpected error (${detail}); set TIERLAB_DEBUG=1 for the stack trace`,
    exitCode: EXIT_FAILURE,
  }
}
