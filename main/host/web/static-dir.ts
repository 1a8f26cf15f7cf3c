import { join } from 'node:path'
import { resolveProjectRoot } from '../../services'

/** The built renderer in the project folder (out/renderer), which `npm run build` writes. */
export function defaultStaticDir(): string {
  return join(resolveProjectRoot(), 'out', 'renderer')
}
