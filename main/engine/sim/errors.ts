/**
 * An experiment the engine cannot run (unknown initiator, too little memory, bad knob, exact mode
 * on a large experiment). The message is one sentence saying what is wrong and how to fix it.
 */
export class SimulationInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SimulationInputError'
  }
}
