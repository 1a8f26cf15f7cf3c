/** Why the store refused or failed; services map these to ApiError codes. */
export type StoreErrorCode = 'corrupt' | 'foreign' | 'newer' | 'not-found' | 'conflict' | 'io'

/**
 * An error of the run archive. The message names the database file (when the problem is the file)
 * and what the user can do about it, so hosts and the CLI can show it as is.
 */
export class StoreError extends Error {
  readonly code: StoreErrorCode
  /** The database file concerned, when the error is about the file itself. */
  readonly path: string | undefined

  constructor(
    code: StoreErrorCode,
    message: string,
    options: { path?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'StoreError'
    this.code = code
    this.path = options.path
  }
}

/** The advice every refusal of a database file ends with. */
export const CHOOSE_ANOTHER_FILE = 'or point Tierlab at another file with --db FILE or TIERLAB_DB'
