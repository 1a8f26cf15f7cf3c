import { apiContract, ApiError, type ApiMethod, type ApiReply } from '../../shared/api'
import { describeIssues, type FieldIssue } from '../../shared/formats'
import { toApiErrorData } from './errors'
import type { Services } from './types'

/** Per-field issues of a call's input; the whole input is `(input)`, not `(file)`. */
function inputIssues(
  issues: Parameters<typeof describeIssues>[0],
  rawInput: unknown,
): FieldIssue[] {
  const out = describeIssues(issues, rawInput).map((i) =>
    i.path === '(file)' ? { ...i, path: '(input)' } : i,
  )
  return out.length > 0 ? out : [{ path: '(input)', message: 'is not valid' }]
}

/** An own key of the contract: `__proto__`, `constructor` and friends are not methods. */
export function isApiMethod(method: unknown): method is ApiMethod {
  return typeof method === 'string' && Object.prototype.hasOwnProperty.call(apiContract, method)
}

/**
 * The one entry point every transport uses: checks the method name, parses the input with the
 * method's schema, runs the handler, and maps every failure to a typed error. Never throws.
 */
export async function dispatch(
  services: Services,
  method: unknown,
  rawInput: unknown,
): Promise<ApiReply<unknown>> {
  const label = typeof method === 'string' ? method.slice(0, 80) : typeof method
  try {
    if (!isApiMethod(method)) {
      const message =
        typeof method === 'string'
          ? `unknown API method ${JSON.stringify(label)}; see shared/api/methods.ts for the list`
          : `the API method name must be a string, got ${label}`
      return { ok: false, error: { code: 'unknown-method', message } }
    }
    // A method without parameters may be called with no input at all.
    const parsed = apiContract[method].input.safeParse(rawInput === undefined ? {} : rawInput)
    if (!parsed.success) {
      const issues = inputIssues(parsed.error.issues, rawInput)
      throw new ApiError(
        'invalid-input',
        `invalid input for ${method}: ${issues[0].path} ${issues[0].message}`,
        issues,
      )
    }
    const handler = services.handlers[method] as (input: unknown) => Promise<unknown>
    if (typeof handler !== 'function') {
      throw new ApiError('unavailable', `${method} is not available in this host`)
    }
    return { ok: true, value: await handler(parsed.data) }
  } catch (err) {
    return { ok: false, error: toApiErrorData(err, label, services.databasePath) }
  }
}
