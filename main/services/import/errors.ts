/**
 * A file that cannot be imported: one sentence naming the file, what is wrong and how to fix it.
 * The CLI prints it with exit code 2; the API sends it as invalid-input.
 */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`)
    this.name = 'ImportError'
  }
}
