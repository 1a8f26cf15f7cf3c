import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * Walks up from this file to the first folder for which `test` holds. Works from the sources
 * (main/services) and from a bundle (out/cli, out/main) alike, since both sit two levels below
 * the project root.
 */
function findUp(test: (dir: string) => boolean, from = here): string | null {
  let dir = resolve(from)
  for (;;) {
    if (test(dir)) return dir
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

/** The project root: the nearest folder up whose package.json is Tierlab's. */
export function resolveProjectRoot(): string {
  const root = findUp((dir) => {
    const pkg = join(dir, 'package.json')
    if (!existsSync(pkg)) return false
    try {
      return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'tierlab'
    } catch {
      return false
    }
  })
  if (!root) throw new Error(`cannot find Tierlab's package.json above ${here}`)
  return root
}

/**
 * The repository's resources/ folder, for dev, tests and the CLI. The Electron app passes its
 * own packaged path instead.
 */
export function resolveResourcesDir(): string {
  const dir = findUp((d) => existsSync(join(d, 'resources', 'presets')))
  if (!dir) throw new Error(`cannot find a resources/presets folder above ${here}`)
  return join(dir, 'resources')
}

/** The version in the project's package.json (the Electron app uses app.getVersion()). */
export function readAppVersion(): string {
  const pkg = JSON.parse(readFileSync(join(resolveProjectRoot(), 'package.json'), 'utf8')) as {
    version?: unknown
  }
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0'
}
