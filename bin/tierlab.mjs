#!/usr/bin/env node
// The `tierlab` command: the built CLI when `npm run build` has made one, else the TypeScript
// sources through tsx, so `npx tierlab …` works in a fresh checkout too.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const built = join(root, 'out', 'cli', 'index.js')

let cli
if (existsSync(built)) {
  cli = await import(pathToFileURL(built).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  cli = await import(pathToFileURL(join(root, 'main', 'cli', 'index.ts')).href)
}
process.exitCode = await cli.runCli(process.argv)
