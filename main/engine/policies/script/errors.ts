import { SimulationInputError } from '../../sim/errors'

/**
 * A policy script that cannot load or that failed during a run. It is an input error (the user's
 * script, not Tierlab, is at fault): the run ends with this one sentence and nothing else changes.
 */
export class PolicyScriptError extends SimulationInputError {
  constructor(
    readonly script: string,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`policy script "${script}"${line !== undefined ? ` line ${line}` : ''}: ${detail}`)
    this.name = 'PolicyScriptError'
  }
}
