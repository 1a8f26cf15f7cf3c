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

/**
 * A SQLite failure while reading or writing an open database, as one sentence naming the file,
 * the cause and the fix; null when `err` is not one of these. A full disk or a read-only file is
 * the user's to fix, not an internal error.
 */
export function storageFailure(file: string, err: unknown): StoreError | null {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null
  if (code === 'SQLITE_FULL')
    return new StoreError(
      'io',
      `The disk holding ${file} is full (SQLITE_FULL), so nothing more could be saved in it. Free some space, ${CHOOSE_ANOTHER_FILE}.`,
      { path: file, cause: err },
    )
  if (code.startsWith('SQLITE_READONLY'))
    return new StoreError(
      'io',
      `${file} is read-only (${code}), so Tierlab cannot save anything in it. Make the file and its folder writable, ${CHOOSE_ANOTHER_FILE}.`,
      { path: file, cause: err },
    )
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN'))
    return new StoreError(
      'io',
      `Reading or writing ${file} failed (${code}: ${(err as Error).message}). Check the disk, ${CHOOSE_ANOTHER_FILE}.`,
      { path: file, cause: err },
    )
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new StoreError(
      'io',
      `${file} is locked by another program (${code}). Close the other program or wait for it to finish, then try again.`,
      { path: file, cause: err },
    )
  return null
}
