import { parentPort } from 'node:worker_threads'
import type { Topology } from '../../../shared/formats'
import { analyzeTopology } from '../../engine'

/**
 * The topology-analysis worker: analyses validated topologies one message at a time, off the
 * host's event loop (services/topology-analysis.ts owns it, its memory cap and its timeout).
 */
if (!parentPort) throw new Error('analysis.worker must run in a worker thread')
const port = parentPort

port.on('message', (job: { id: number; topology: Topology }) => {
  try {
    port.postMessage({ id: job.id, ok: true, analysis: analyzeTopology(job.topology) })
  } catch (err) {
    port.postMessage({
      id: job.id,
      ok: false,
      message: err instanceof Error ? err.message : String(err),
    })
  }
})
