import { spawn } from 'node:child_process'

/** Launches a command detached; resolves false when it cannot start or exits non-zero. */
function launch(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { detached: true, stdio: 'ignore' })
      child.once('error', () => resolve(false))
      child.once('spawn', () => {
        child.unref()
        // Openers return at once; a browser keeps running and is left alone.
        const timer = setTimeout(() => resolve(true), 1500)
        timer.unref()
        child.once('exit', (code) => {
          clearTimeout(timer)
          resolve(code === 0)
        })
      })
    } catch {
      resolve(false)
    }
  })
}

function systemOpener(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]]
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url]]
  return ['xdg-open', [url]]
}

const CHROMIUMS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']

/**
 * Opens the URL in the system browser, else in a Chromium on PATH as an app window. Failures are
 * ignored: the URL is printed anyway, so the user can open it by hand.
 */
export async function openInBrowser(url: string): Promise<boolean> {
  const [command, args] = systemOpener(url)
  if (await launch(command, args)) return true
  for (const chromium of CHROMIUMS) {
    if (await launch(chromium, [`--app=${url}`])) return true
  }
  return false
}
