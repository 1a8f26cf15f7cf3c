import type { Worker } from 'node:worker_threads'
import type { TopologyAnalysis } from '../../shared/analysis'
import { ApiError } from '../../shared/api'
import type { Topology } from '../../shared/formats'
import { analyzeTopology } from '../engine'
import { startWorkerScript } from './worker/create-sim-worker'

export interface AnalysisRunnerOptions {
  /** Topologies up to this many components are analysed in place (milliseconds); larger ones in the worker. */
  inlineMaxComponents?: number
  /** An analysis taking longer is stopped (the worker is replaced), ms. */
  timeoutMs?: number
  /** The worker's heap cap: an analysis that needs more ends the worker, not the host, MB. */
  maxHeapMb?: number
  createWorker?: (maxHeapMb: number) => Worker
}

export interface AnalysisRunner {
  analyze(topology: Topology): Promise<TopologyAnalysis>
  close(): void
}

/**
 * Runs topology analyses off the host's event loop (the web host and Electron main serve every
 * window from it): one worker thread, started on the first large topology, with a heap cap and a
 * timeout, so one huge `topology.analyze` can neither block the host nor run it out of memory.
 * The schema's TOPOLOGY_LIMITS keep every valid topology within both.
 */
export function createAnalysisRunner(options: AnalysisRunnerOptions = {}): AnalysisRunner {
  const inlineMax = options.inlineMaxComponents ?? 16
  const timeoutMs = options.timeoutMs ?? 60_000
  const maxHeapMb = options.maxHeapMb ?? 1024
  const create =
    options.createWorker ??
    ((mb: number) =>
      startWorkerScript('analysis.worker', { resourceLimits: { maxOldGenerationSizeMb: mb } }))
  let worker: Worker | null = null
  let nextId = 1
  const pending = new Map<
    number,
    { resolve(a: TopologyAnalysis): void; reject(e: unknown): void }
  >()

  const failAll = (error: ApiError) => {
    for (const p of pending.values()) p.reject(error)
    pending.clear()
  }

  const start = (): Worker => {
    const w = create(maxHeapMb)
    w.unref()
    w.on(
      'message',
      (m: { id: number; ok: boolean; analysis?: TopologyAnalysis; message?: string }) => {
        const p = pending.get(m.id)
        if (!p) return
        pending.delete(m.id)
        if (m.ok) p.resolve(m.analysis!)
        else p.reject(new ApiError('invalid-input', `topology: ${m.message}`))
      },
    )
    w.on('error', (err: Error & { code?: string }) => {
      if (worker === w) worker = null
      failAll(
        new ApiError(
          'unavailable',
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `analysing this topology needed more than ${maxHeapMb} MB; model a smaller machine`
            : `the topology analysis stopped (${err.message}); try again`,
        ),
      )
    })
    w.on('exit', () => {
      if (worker === w) worker = null
      failAll(new ApiError('unavailable', 'the topology analysis stopped; try again'))
    })
    return w
  }

  return {
    async analyze(topology) {
      if (topology.components.length <= inlineMax) return analyzeTopology(topology)
      worker ??= start()
      const w = worker
      const id = nextId++
      return new Promise<TopologyAnalysis>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (!pending.has(id)) return
          pending.delete(id)
          reject(
            new ApiError(
              'unavailable',
              `analysing this topology took longer than ${timeoutMs / 1000} s and was stopped; model a smaller machine`,
            ),
          )
          // The worker may be stuck in this analysis: replace it (others waiting fail and retry).
          if (worker === w) worker = null
          void w.terminate()
        }, timeoutMs)
        timer.unref()
        pending.set(id, {
          resolve: (a) => {
            clearTimeout(timer)
            resolve(a)
          },
          reject: (e) => {
            clearTimeout(timer)
            reject(e)
          },
        })
        w.ref()
        w.postMessage({ id, topology })
      }).finally(() => {
        if (pending.size === 0 && worker === w) w.unref()
      })
    },
    close() {
      const w = worker
      worker = null
      failAll(new ApiError('unavailable', 'Tierlab is shutting down'))
      if (w) void w.terminate()
    },
  }
}
