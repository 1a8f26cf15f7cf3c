import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { definePolicy, runSimulation, type SimulationResult } from '../../../../../main/engine'
import { topologySchema } from '../../../../../shared/formats/topology'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { DRAM, experiment } from './fixtures'

/**
 * A non-coherent GPU's HBM is device-private: no NUMA node for the kernel, but a migration target
 * for its driver. The engine gives it a node after the kernel's (here node 1), reachable by the
 * GPU alone.
 */
const topology = topologySchema.parse({
  format: 'tierlab.topology/v1',
  name: 'socket and a PCIe GPU',
  components: [
    { id: 's0', kind: 'socket', cores: 8, memory: { capacityGiB: 1 / 4, ...DRAM } },
    {
      id: 'g0',
      kind: 'gpu',
      coherent: false,
      memory: {
        capacityGiB: 1 / 4,
        media: 'HBM3',
        readLatencyNs: 300,
        writeLatencyNs: 300,
        readBandwidthGBps: 3000,
        writeBandwidthGBps: 3000,
      },
    },
  ],
  links: [{ a: 's0', b: 'g0', kind: 'pcie', bandwidthGBps: 63, latencyNs: 600 }],
})
// p0 (CPU) first-touches r0 (on DRAM, node 0); the GPU process g reads it; p0 reads only 'own'.
const proc = (id: string, initiator: string, region: string) => ({
  id,
  initiator,
  threads: 2,
  computeNsPerOp: 200,
  accessesPerOp: 1,
  mlp: 1,
  writeFraction: 0,
  phases: [
    { durationS: 1, accesses: [{ region, share: 1, pattern: { kind: 'uniform' as const } }] },
  ],
})
const workload = workloadSchema.parse({
  format: 'tierlab.workload/v1',
  name: 'gpu reads host memory',
  regions: [
    { id: 'own', sizeGiB: 1 / 512, firstTouch: 'p0' },
    { id: 'r0', sizeGiB: 1 / 16, firstTouch: 'p0' },
  ],
  processes: [proc('p0', 's0', 'own'), proc('g', 'g0', 'r0')],
})

describe('device-private GPU memory', () => {
  it('is a migration target for the GPU, counted as neither promotion nor demotion', () => {
    const seen: number[] = []
    const def = definePolicy({
      id: 'uvm-like',
      name: 'pull to device memory',
      description: 'tests only',
      knobs: z.strictObject({}),
      subscriptions: () => ({ gpuCounters: { threshold: 10 } }),
      reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
      create: (_k, ctx) => ({
        onGpuCounter: (notes) => {
          const target = ctx.processes[1].ownMemoryNode
          seen.push(target)
          if (ctx.epoch >= 50) for (const n of notes) ctx.migrate(n.frame, target, 'async')
        },
      }),
    })
    const r: SimulationResult = runSimulation(
      experiment(topology, workload, def.id, {}, { durationS: 1 }),
      def,
    )
    // The kernel sees one node; the engine adds node 1 for g0's device-private memory.
    expect(seen[0]).toBe(1)
    const used1 = r.series.find((s) => s.key === 'node.1.usedBytes')!.values
    expect(used1[10]).toBe(0)
    expect(used1.at(-1)).toBe(32 * 2 * 1024 * 1024)
    expect(r.summary.promotions).toBe(0)
    expect(r.summary.demotions).toBe(0)
    expect(r.summary.migratedBytes).toBe(32 * 2 * 1024 * 1024)
    // Over PCIe the GPU read at 600 + 100 ns; from its own memory at 300 ns.
    const lat = r.series.find((s) => s.key === 'process.g.meanLatencyNs')!.values
    expect(lat[10]).toBeGreaterThan(650)
    expect(lat.at(-1)).toBeLessThan(350)
  })

  it('is never scanned for NUMA hints and never a fallback for allocation', () => {
    const def = definePolicy({
      id: 'scan-all',
      name: 'scan all',
      description: 'tests only',
      knobs: z.strictObject({}),
      subscriptions: () => ({
        hintFaults: {
          mode: 'normal',
          scanDelayMs: 0,
          scanPeriodMinMs: 50,
          scanPeriodMaxMs: 50,
          scanSizeMB: 256,
        },
      }),
      reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
      create: (_k, ctx) => ({
        place: (req) => (req.region === 1 ? ctx.processes[1].ownMemoryNode : req.defaultNode),
        onHintFault: (f) => expect(f.node).toBe(0),
      }),
    })
    // p0 reads r0 too: were device memory scanned, its accesses there would fault.
    const both = workloadSchema.parse({
      ...workload,
      processes: [
        {
          ...proc('p0', 's0', 'own'),
          phases: [
            {
              durationS: 1,
              accesses: ['own', 'r0'].map((region) => ({
                region,
                share: 0.5,
                pattern: { kind: 'uniform' as const },
              })),
            },
          ],
        },
        proc('g', 'g0', 'r0'),
      ],
    })
    const r = runSimulation(experiment(topology, both, def.id, {}, { durationS: 0.5 }), def)
    // r0 was placed on device memory by the policy; only 'own' (DRAM) is scanned and faults.
    expect(r.series.find((s) => s.key === 'node.1.usedBytes')!.values[0]).toBe(32 * 2 ** 21)
    expect(r.summary.hintFaults).toBeGreaterThan(0)
    // The CPU reaches device memory only by faulting pages back: charged the unreachable latency.
    const cpuLat = r.series.find((s) => s.key === 'process.p0.meanLatencyNs')!.values
    expect(cpuLat[5]).toBeGreaterThan(2000)
  })
})
