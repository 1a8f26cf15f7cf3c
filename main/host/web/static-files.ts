import { existsSync, realpathSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join, sep } from 'node:path'
import sirv from 'sirv'
import { sendError } from './replies'

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tierlab</title>
<style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:40rem;color:#222}code{background:#eee;padding:.1rem .3rem}</style>
</head><body><h1>Tierlab web mode</h1>
<p>The workbench has not been built yet: run <code>npm run build</code> first, then reload this page.</p>
<p>The API is up meanwhile: <code>POST /api/&lt;method&gt;</code>.</p>
</body></html>
`

/**
 * Whether the file a request names may be served: no path segment may be a dotfile or dot-folder
 * (sirv's `dotfiles: false` is not applied in its per-request dev mode), and an existing file must
 * really lie inside the folder once symlinks are resolved. A path naming nothing is left to sirv,
 * which answers it with index.html (a client-side route).
 */
export function isServablePath(staticDir: string, urlPath: string): boolean {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0])
  } catch {
    return false
  }
  const segments = decoded.split(/[\\/]/)
  if (segments.some((s) => s.startsWith('.'))) return false
  let real: string
  try {
    real = realpathSync(join(staticDir, ...segments))
  } catch {
    return true
  }
  const root = realpathSync(staticDir)
  return real === root || real.startsWith(root + sep)
}

/**
 * The built renderer, with index.html for client-side routes. sirv resolves every request inside
 * the folder, and isServablePath refuses dotfiles and symlinks that lead out of it. Until a build exists, `/` answers
 * with a page that says how to make one; the folder is looked at again on each request until then.
 */
export function createStaticHandler(
  staticDir: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  let serve: ReturnType<typeof sirv> | null = null
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(
        res,
        405,
        {
          code: 'invalid-input',
          message: 'only GET and HEAD serve files; the API is POST /api/<method>',
        },
        { Allow: 'GET, HEAD' },
      )
      return
    }
    if (!serve && existsSync(join(staticDir, 'index.html'))) {
      // dev mode looks files up per request: a rebuild that empties the folder while the host
      // runs (npm run build, an E2E setup) then gives 404s instead of a crash on a vanished file.
      serve = sirv(staticDir, { single: true, dev: true, etag: true, dotfiles: false })
    }
    if (serve) {
      if (!isServablePath(staticDir, req.url ?? '/')) {
        sendError(res, 404, { code: 'not-found', message: 'no such file' })
        return
      }
      serve(req, res, () => sendError(res, 404, { code: 'not-found', message: 'no such file' }))
      return
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(req.method === 'HEAD' ? undefined : NOT_BUILT_PAGE)
  }
}
