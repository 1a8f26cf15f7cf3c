import type { APIRequestContext } from '@playwright/test'
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/api/contract'
import type { ApiReply } from '../../shared/api/errors'
import { e2eEnv } from './env'

/** Calls the web host's API as the page does (bearer token), for expectations computed by main. */
export async function callApi<M extends ApiMethod>(
  request: APIRequestContext,
  method: M,
  input: ApiInput<M>,
): Promise<ApiOutput<M>> {
  const res = await request.post(`${e2eEnv('origin')}/api/${method}`, {
    headers: { Authorization: `Bearer ${e2eEnv('token')}` },
    data: input,
  })
  const reply = (await res.json()) as ApiReply<ApiOutput<M>>
  if (!reply.ok) throw new Error(`${method} failed: ${reply.error.code}: ${reply.error.message}`)
  return reply.value
}
