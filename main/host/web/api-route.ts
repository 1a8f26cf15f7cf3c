import type { IncomingMessage, ServerResponse } from 'node:http'
import { dispatch, isApiMethod, type Services } from '../../services'
import { BodyTooLargeError, readBody } from './body'
import { sendError, sendReply } from './replies'

/** The raw `<method>` of `/api/<method>`, decoded; null when the escape sequence is broken. */
function methodFromPath(rest: string): string | null {
  try {
    return decodeURIComponent(rest)
  } catch {
    return null
  }
}

/**
 * `POST /api/<method>` with the method's input as a JSON body → the ApiReply as JSON. Checks are
 * ordered cheapest first, so a bad call is refused before its body is read.
 */
export async function handleApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  services: Services,
  rest: string,
  maxBodyBytes: number,
): Promise<void> {
  const method = methodFromPath(rest)
  if (method === null) {
    sendError(res, 400, {
      code: 'invalid-input',
      message: 'the method name in the URL is not valid percent-encoding',
    })
    return
  }
  if (!isApiMethod(method)) {
    // dispatch words the error the same way for every transport.
    sendReply(res, await dispatch(services, method, undefined))
    return
  }
  if (req.method !== 'POST') {
    sendError(
      res,
      405,
      { code: 'invalid-input', message: `call ${method} with POST and a JSON body` },
      { Allow: 'POST' },
    )
    return
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (type !== 'application/json') {
    sendError(res, 415, {
      code: 'invalid-input',
      message: 'send the input as JSON with Content-Type: application/json',
    })
    return
  }
  let body: Buffer
  try {
    body = await readBody(req, maxBodyBytes)
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      // Stop reading: the client is told why, then the connection goes.
      res.once('finish', () => req.destroy())
      sendError(
        res,
        413,
        { code: 'invalid-input', message: `${err.message}; send a smaller input` },
        { Connection: 'close' },
      )
    } else {
      req.destroy()
    }
    return
  }
  let input: unknown
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8'))
    } catch (err) {
      sendError(res, 400, {
        code: 'invalid-input',
        message: `the request body is not valid JSON (${(err as Error).message}); send the method's input as a JSON object`,
      })
      return
    }
  }
  sendReply(res, await dispatch(services, method, input))
}
