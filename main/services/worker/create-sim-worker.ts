import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * Starts a simulation worker thread (toolchain.md §5). From the sources (dev, tests, the CLI
 * through tsx) the worker is sim.worker.ts loaded by tsx's CommonJS API in an eval worker,
 * because Node 20 cannot pass an ESM loader to a worker's execArgv. From a bundle it is the
 * sibling sim.worker.js that electron-vite builds next to the bundle's entry (out/main).
 */
export function createSimWorker(): Worker {
  return startWorkerScript('sim.worker')
}

/** A worker thread on one of this folder's worker scripts, from the sources or a bundle. */
export function startWorkerScript(
  name: 'sim.worker' | 'analysis.worker',
  options: Pick<WorkerOptions, 'resourceLimits'> = {},
): Worker {
  const here = fileURLToPath(import.meta.url)
  if (!here.endsWith('.ts')) return new Worker(join(dirname(here), `${name}.js`), options)
  const tsxCjsApi = createRequire(import.meta.url).resolve('tsx/cjs/api')
  const entry = join(dirname(here), `${name}.ts`)
  return new Worker(
    `require(${JSON.stringify(tsxCjsApi)}).register(); require(${JSON.stringify(entry)})`,
    { ...options, eval: true },
  )
}
