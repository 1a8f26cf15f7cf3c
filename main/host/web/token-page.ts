import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * What a browser gets when it opens the workbench without its access link (a bookmark without
 * `?token=`, the port typed by hand): a page saying where the link is, instead of the API's JSON
 * error. Static text, nothing from the request echoed back; the security headers still apply.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tierlab: open the link with its access key</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 40em; margin: 12vh auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.3em; }
code { background: #f2f2f2; padding: 0 .25em; border-radius: 3px; }
</style>
</head>
<body>
<h1>This Tierlab needs the link it printed</h1>
<p>Tierlab's web mode only answers the browser that opened its link, which carries a fresh access key
each time it starts (it ends in <code>?token=…</code>). Nothing of yours is shown without it.</p>
<p>Open the link printed in the terminal where Tierlab was started (by <code>npm start</code> or
<code>tierlab serve</code>). If that terminal is gone, start Tierlab again and use the new link.</p>
</body>
</html>
`

/** Page navigations (a browser asking for HTML with GET), as opposed to API calls and assets. */
export function wantsPage(req: IncomingMessage, path: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  if (path === '/api' || path.startsWith('/api/')) return false
  return (req.headers.accept ?? '').includes('text/html')
}

export function sendTokenPage(res: ServerResponse): void {
  res.writeHead(401, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
  })
  res.end(PAGE)
}
