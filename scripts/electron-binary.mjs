// Where a usable Electron executable is, found the way the `electron` package's own index.js
// finds it but WITHOUT its side effect: resolving `require('electron')` starts a download when the
// binary is missing (toolchain.md §2). Shared by scripts/start.mjs and test/e2e/electron.spec.ts.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The executable's path inside an Electron dist folder, as electron/install.js names it. */
export function electronExecutableName(platform = process.platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

/**
 * The Electron executable to launch, or undefined. ELECTRON_OVERRIDE_DIST_PATH (a local unpacked
 * Electron) wins, as it does in electron/index.js; otherwise node_modules/electron/path.txt must
 * name a file that exists under its dist/.
 */
export function findElectronBinary(projectDir, env = process.env) {
  const packageDir = join(projectDir, 'node_modules', 'electron')
  let named
  try {
    named = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim() || undefined
  } catch {
    named = undefined
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH
  let candidate
  if (override !== undefined && override !== '') {
    candidate = join(override, named ?? electronExecutableName())
  } else if (named !== undefined) {
    candidate = join(packageDir, 'dist', named)
  }
  return candidate !== undefined && existsSync(candidate) ? candidate : undefined
}
