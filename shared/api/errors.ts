import type { FieldIssue } from '../formats/parse'

/** Error kinds every transport carries unchanged (DESIGN.md §1: a bad call gets a typed error). */
export type ApiErrorCode =
  | 'invalid-input'
  | 'unknown-method'
  | 'not-found'
  | 'conflict'
  | 'unauthorized'
  | 'unavailable'
  | 'internal'

export interface ApiErrorData {
  code: ApiErrorCode
  message: string
  /** Per-field problems for invalid documents or inputs. */
  issues?: FieldIssue[]
}

export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly issues?: FieldIssue[]
  constructor(code: ApiErrorCode, message: string, issues?: FieldIssue[]) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.issues = issues
  }
  toData(): ApiErrorData {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message }
  }
  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, data.issues)
  }
}

/** What every transport sends back for a call. */
export type ApiReply<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData }
