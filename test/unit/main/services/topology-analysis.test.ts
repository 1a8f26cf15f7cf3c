import { afterEach, describe, expect, it } from 'vitest'
import { topologySchema, TOPOLOGY_LIMITS } from '../../../../shared/formats'
import { analyzeTopology } from '../../../../main/engine/topology'
import {
  createAnalysisRunner,
  type AnalysisRunner,
} from '../../../../main/services/topology-analysis'
import { dispatch, openServices, type Services } from '../../../../main/services'
import { tempDb } from './fixtures'

// Hostile hour 1: one huge topology.analyze ran the web host (and Electron main) out of memory.
// Valid topologies are bounded (TOPOLOGY_LIMITS) and large ones are analysed in a worker thread
// with a heap cap and a timeout.

const runners: AnalysisRunner[] = []
afterEach(() => {
  for (const r of runners.splice(0)) r.close()
})
function runner(...args: Parameters<typeof createAnalysisRunner>) {
  const r = createAnalysisRunner(...args)
  runners.push(r)
  return r
}

/** Two sockets with CXL expanders hanging off them, `n` components in all. */
function bigTopology(n: number) {
  const memory = {
    capacityGiB: 16,
    readLatencyNs: 170,
    writeLatencyNs: 170,
    readBandwidthGBps: 36,
    writeBandwidthGBps: 36,
  }
  const chain = socketChain(2)
  for (let i = 0; i < n - 2; i++) {
    chain.components.push({ id: `c${i}`, kind: 'cxl-memory', memory } as never)
    chain.links.push({
      a: `s${i % 2}`,
      b: `c${i}`,
      kind: 'cxl',
      latencyNs: 70,
      bandwidthGBps: 32,
    } as never)
  }
  return { ...chain, name: `${n} components` }
}

/** A chain of `n` sockets, the shape whose analysis grows fastest. */
function socketChain(n: number) {
  const memory = {
    capacityGiB: 16,
    readLatencyNs: 100,
    writeLatencyNs: 100,
    readBandwidthGBps: 100,
    writeBandwidthGBps: 100,
  }
  return {
    format: 'tierlab.topology/v1',
    name: `chain of ${n}`,
    components: Array.from({ length: n }, (_, i) => ({
      id: `s${i}`,
      kind: 'socket',
      cores: 8,
      memory,
    })),
    links: Array.from({ length: n - 1 }, (_, i) => ({
      a: `s${i}`,
      b: `s${i + 1}`,
      kind: 'upi',
      latencyNs: 50,
      bandwidthGBps: 60,
    })),
  }
}

describe('topology limits', () => {
  it('refuses more components, sockets/GPUs or links than Tierlab analyses, naming the limit', () => {
    const tooMany = topologySchema.safeParse(bigTopology(TOPOLOGY_LIMITS.components + 1))
    expect(tooMany.success).toBe(false)
    expect(tooMany.error!.issues[0]).toMatchObject({
      path: ['components'],
      message: expect.stringMatching(/more than 256 components, the most Tierlab analyses/),
    })
    const chain = topologySchema.safeParse(socketChain(TOPOLOGY_LIMITS.initiators + 1))
    expect(chain.success).toBe(false)
    expect(chain.error!.issues.map((i) => i.message)).toContainEqual(
      expect.stringMatching(/has 65 sockets and GPUs, more than the 64 Tierlab analyses/),
    )
    expect(topologySchema.safeParse(bigTopology(200)).success).toBe(true)
  })

  it('topology.analyze answers a 10,000-socket chain with issues, without analysing it', async () => {
    const db = tempDb()
    const services: Services = openServices({ dbPath: db.dbPath, host: 'web' })
    try {
      const reply = await dispatch(services, 'topology.analyze', { topology: socketChain(10_000) })
      expect(reply).toMatchObject({ ok: true, value: { ok: false } })
      const issues = (reply as { value: { issues: Array<{ path: string; message: string }> } })
        .value.issues
      expect(issues[0]).toMatchObject({ path: 'components' })
    } finally {
      services.close()
      db.cleanup()
    }
  })
})

describe('analysis off the event loop', () => {
  it('gives the same analysis from the worker as in place', async () => {
    const topology = topologySchema.parse(bigTopology(40))
    const viaWorker = await runner({ inlineMaxComponents: 0 }).analyze(topology)
    expect(viaWorker).toEqual(analyzeTopology(topology))
  })

  it('keeps the event loop free while the worker analyses', async () => {
    const topology = topologySchema.parse(socketChain(48))
    const r = runner({ inlineMaxComponents: 0 })
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    await r.analyze(topology)
    clearInterval(timer)
    // In place, the analysis would hold the loop for its whole duration (no tick at all).
    expect(ticks).toBeGreaterThan(3)
  })

  it('stops an analysis that takes too long with a clear error, and keeps working', async () => {
    const r = runner({ inlineMaxComponents: 0, timeoutMs: 50 })
    await expect(r.analyze(topologySchema.parse(socketChain(64)))).rejects.toMatchObject({
      code: 'unavailable',
      message:
        'analysing this topology took longer than 0.05 s and was stopped; model a smaller machine',
    })
    const small = topologySchema.parse(bigTopology(12))
    const ok = runner({ inlineMaxComponents: 0, timeoutMs: 60_000 })
    expect((await ok.analyze(small)).nodes.length).toBe(analyzeTopology(small).nodes.length)
  })

  it('ends the worker, not the host, when an analysis needs more memory than its cap', async () => {
    const r = runner({ inlineMaxComponents: 0, maxHeapMb: 8 })
    await expect(r.analyze(topologySchema.parse(socketChain(64)))).rejects.toMatchObject({
      code: 'unavailable',
      message: 'analysing this topology needed more than 8 MB; model a smaller machine',
    })
  })
})
