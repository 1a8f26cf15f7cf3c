#!/usr/bin/env node
// `npm start` (and `npm run dev`, which passes --dev): build when out/ is missing or stale, then
// launch Electron on the project. When no Electron binary exists and none can be downloaded
// (toolchain.md §2: the case on machines without GitHub access), serve the same workbench in
// the browser through the web host instead, so `npm start` always ends with something to use.
//
// Flags: --dev (electron-vite dev server with a binary), --no-open (web mode: print the URL but
// do not open a browser), --db <file>, --port <n> (web mode). Other flags go to Electron.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { findElectronBinary } from './electron-binary.mjs'

const root = resolve(import.meta.dirname, '..')
const DOWNLOAD_TIMEOUT_MS = 60_000
const isWindows = process.platform === 'win32'

const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']
const SOURCES = ['main', 'shared', 'renderer', 'electron.vite.config.ts']

function parseArgs(argv) {
  const options = { dev: false, open: true, db: undefined, port: 0, passThrough: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = (name) => {
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1)
      const next = argv[++i]
      if (next === undefined || next.startsWith('--')) fail(`${name} needs a value`)
      return next
    }
    if (arg === '--dev') options.dev = true
    else if (arg === '--no-open') options.open = false
    else if (arg === '--db' || arg.startsWith('--db=')) {
      options.db = resolve(value('--db'))
      options.passThrough.push(`--db=${options.db}`)
    } else if (arg === '--port' || arg.startsWith('--port=')) {
      const port = Number(value('--port'))
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        fail('--port needs a whole number from 0 to 65535 (0 picks a free port)')
      }
      options.port = port
    } else options.passThrough.push(arg)
  }
  return options
}

function fail(message) {
  console.error(`npm start: ${message}`)
  process.exit(2)
}

/** Newest modification time under a file or folder, in ms since the epoch. */
function newestMtimeMs(path) {
  let stats
  try {
    stats = statSync(path)
  } catch {
    return 0
  }
  if (!stats.isDirectory()) return stats.mtimeMs
  let newest = stats.mtimeMs
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue
    newest = Math.max(newest, newestMtimeMs(join(path, entry)))
  }
  return newest
}

function isBuildStale() {
  const outputs = OUTPUTS.map((file) => join(root, file))
  if (!outputs.every((file) => existsSync(file))) return true
  const oldestOutputMs = Math.min(...outputs.map((file) => statSync(file).mtimeMs))
  const newestSourceMs = Math.max(...SOURCES.map((source) => newestMtimeMs(join(root, source))))
  return newestSourceMs > oldestOutputMs
}

function build() {
  console.log('Building Tierlab (out/ is missing or older than the sources)...')
  const result = spawnSync('npx', ['electron-vite', 'build'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    shell: isWindows,
  })
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`)
    fail('the build failed (npx electron-vite build); fix the errors above and try again')
  }
}

/** The electron package's own lazy download; quiet, because failing is the expected case here. */
function tryDownloadElectron() {
  const installer = join(root, 'node_modules', 'electron', 'install.js')
  if (!existsSync(installer)) return Promise.resolve(false)
  return new Promise((done) => {
    const child = spawn(process.execPath, [installer], {
      cwd: join(root, 'node_modules', 'electron'),
      stdio: 'ignore',
      timeout: DOWNLOAD_TIMEOUT_MS,
    })
    child.once('error', () => done(false))
    child.once('exit', (code) => done(code === 0))
  })
}

/** Run a child in the foreground: Ctrl+C reaches it, and its exit code becomes ours. */
function runForeground(command, args, env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env, shell: isWindows })
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal))
  }
  child.once('error', (error) => fail(`could not start ${command}: ${error.message}`))
  child.once('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 0)))
}

async function serveInBrowser(options) {
  // main/ is TypeScript; tsx compiles it on import, as the CLI does.
  const { register } = await import('tsx/esm/api')
  register()
  const web = await import(pathToFileURL(join(root, 'main/host/web/index.ts')).href)
  const store = await import(pathToFileURL(join(root, 'main/store/paths.ts')).href)
  const mode = await web.startWebMode({
    dbPath: options.db ?? store.defaultDatabasePath(),
    port: options.port,
    staticDir: join(root, 'out', 'renderer'),
    open: options.open,
  })
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    // Closing the host ends open event streams; closing the services closes the database.
    mode.close().then(
      () => process.exit(0),
      (error) => {
        console.error(`npm start: could not shut down cleanly: ${error?.message ?? error}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  const env = { ...process.env }
  // Set by some shells and tools; it would make the Electron binary behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE

  let binary = findElectronBinary(root)
  if (binary === undefined && (await tryDownloadElectron())) binary = findElectronBinary(root)

  if (binary !== undefined && options.dev) {
    // electron-vite builds main and preload itself and serves the renderer with hot reload.
    runForeground('npx', ['electron-vite', 'dev', '--', ...options.passThrough], env)
    return
  }
  if (isBuildStale()) build()
  if (binary !== undefined) {
    runForeground(binary, [root, ...options.passThrough], env)
    return
  }
  console.log(
    'Electron is not available on this machine (its binary could not be downloaded); ' +
      'serving the Tierlab workbench in your browser instead.',
  )
  await serveInBrowser(options)
}

main().catch((error) => {
  console.error(`npm start: ${error?.stack ?? error}`)
  process.exit(1)
})
