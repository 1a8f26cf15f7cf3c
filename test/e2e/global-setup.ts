import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { E2E_ENV } from './env'

const root = join(import.meta.dirname, '..', '..')
const builtIndex = join(root, 'out', 'renderer', 'index.html')

/** Newest modification time (ms) of the files under `dir`. */
function newestMtimeMs(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

/** The renderer bundles shared/ too, so a change in either (or the config) needs a rebuild. */
function rendererIsStale(): boolean {
  if (process.env.CI || !existsSync(builtIndex)) return true
  const built = statSync(builtIndex).mtimeMs
  const sources = Math.max(
    newestMtimeMs(join(root, 'renderer')),
    newestMtimeMs(join(root, 'shared')),
    statSync(join(root, 'vite.web.config.ts')).mtimeMs,
  )
  return sources > built
}

function buildRenderer(): void {
  const r = spawnSync('npx', ['vite', 'build', '--config', 'vite.web.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (r.status !== 0) throw new Error(`vite build of the renderer failed (exit ${r.status})`)
}

interface ServeInfo {
  url: string
  port: number
  token: string
}

/** Starts `tierlab serve --json` and resolves with the JSON it prints once it listens. */
function startHost(dbFile: string): Promise<{ child: ChildProcess; info: ServeInfo }> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'tierlab.mjs'), 'serve', '--port', '0', '--json', '--db', dbFile],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stdout = ''
  let stderr = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(
          `tierlab serve printed no URL within 60 s.\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      )
    }, 60_000)
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString()
      // --json prints one JSON object, possibly over several lines; wait until it is complete.
      try {
        const info = JSON.parse(stdout) as ServeInfo
        clearTimeout(timer)
        resolve({ child, info })
      } catch {
        // not complete yet
      }
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`tierlab serve exited (code ${code}) before listening.\nstderr: ${stderr}`))
      // After setup a dying host fails every later test with ECONNREFUSED; say why it died.
      if (!stopping)
        console.error(`tierlab serve exited (code ${code}, signal ${signal}).\n${stderr}`)
    })
  })
}

// Set once the teardown stops the host on purpose.
let stopping = false

function stop(child: ChildProcess): Promise<void> {
  stopping = true
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (rendererIsStale()) buildRenderer()
  const dir = mkdtempSync(join(tmpdir(), 'tierlab-e2e-'))
  const dbFile = join(dir, 'tierlab.db')
  const { child, info } = await startHost(dbFile)
  // Workers start after global setup and inherit these.
  process.env[E2E_ENV.url] = info.url
  process.env[E2E_ENV.origin] = new URL(info.url).origin
  process.env[E2E_ENV.token] = info.token
  process.env[E2E_ENV.db] = dbFile
  // The teardown: stop the host, then drop its temporary database.
  return async () => {
    await stop(child)
    rmSync(dir, { recursive: true, force: true })
  }
}
