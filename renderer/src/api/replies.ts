import { z } from 'zod'
import { ApiError, type ApiErrorCode, type ApiReply } from '../../../shared/api/errors'

const errorCodes = [
  'invalid-input',
  'unknown-method',
  'not-found',
  'conflict',
  'unauthorized',
  'unavailable',
  'internal',
] as const satisfies readonly ApiErrorCode[]
// A new error code fails the type check here until it is listed above.
const _allCodes: [Exclude<ApiErrorCode, (typeof errorCodes)[number]>] extends [never]
  ? true
  : never = true
void _allCodes

// Only the envelope is checked here: each method's value is typed by shared/api/contract.ts and
// validated by the host that produced it.
const replySchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  }),
])

/** Checks that a value from another process is an ApiReply; anything else is 'internal'. */
export function parseReply(raw: unknown, method: string): ApiReply<unknown> {
  const res = replySchema.safeParse(raw)
  if (res.success) return res.data
  throw new ApiError(
    'internal',
    `The host answered ${method} with something that is not a Tierlab API reply; check that the page and the host are the same version.`,
  )
}

/** The value of a successful reply, or the reply's error rebuilt as an ApiError. */
export function unwrapReply<T>(reply: ApiReply<unknown>): T {
  if (reply.ok) return reply.value as T
  throw ApiError.fromData(reply.error)
}

/** A readable sentence for any failure, for banners and inline errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
