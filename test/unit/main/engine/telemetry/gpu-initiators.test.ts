import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { definePolicy, runSimulation, type MigrationOutcome } from '../../../../../main/engine'
import { topologySchema } from '../../../../../shared/formats/topology'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { CXL, DRAM, experiment } from '../sim/fixtures'
import { runProbe } from './probe'

// Socket s0 (node 0, 1/16 GiB = 32 frames), CXL c0 (node 1), coherent GPU g0 (HBM node 2).
// p0 (CPU on s0) first-touches 'own' (1 frame) then r0 (64 frames): 30 on DRAM, 34 spill to CXL
// (the watermark keeps one DRAM frame free); the GPU region
// 'hbm' is first-touched by the GPU process g, so it lands on the GPU's own node 2.
const topology = topologySchema.parse({
  format: 'tierlab.topology/v1',
  name: 'socket, CXL and a coherent GPU',
  components: [
    { id: 's0', kind: 'socket', cores: 8, memory: { capacityGiB: 1 / 16, ...DRAM } },
    { id: 'c0', kind: 'cxl-memory', memory: { capacityGiB: 1 / 4, ...CXL } },
    {
      id: 'g0',
      kind: 'gpu',
      coherent: true,
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
  links: [
    { a: 's0', b: 'c0', kind: 'cxl', bandwidthGBps: 32, latencyNs: 70 },
    { a: 's0', b: 'g0', kind: 'nvlink-c2c', bandwidthGBps: 450, latencyNs: 150 },
  ],
})
const proc = (
  id: string,
  initiator: string,
  accesses: Array<{ region: string; share: number }>,
) => ({
  id,
  initiator,
  threads: 2,
  computeNsPerOp: 200,
  accessesPerOp: 1,
  mlp: 1,
  writeFraction: 0,
  phases: [
    {
      durationS: 1,
      accesses: accesses.map((a) => ({ ...a, pattern: { kind: 'uniform' as const } })),
    },
  ],
})
/** p0 touches r0 with share `cpuShare` (0: it only first-touches it); g reads r0 and hbm. */
const workload = (cpuShare: number) =>
  workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'cpu and gpu',
    regions: [
      { id: 'own', sizeGiB: 1 / 512, firstTouch: 'p0' },
      { id: 'r0', sizeGiB: 1 / 8, firstTouch: 'p0' },
      { id: 'hbm', sizeGiB: 1 / 8, firstTouch: 'g' },
    ],
    processes: [
      proc('p0', 's0', [
        { region: 'own', share: 1 - cpuShare },
        { region: 'r0', share: cpuShare },
      ]),
      proc('g', 'g0', [
        { region: 'r0', share: 0.5 },
        { region: 'hbm', share: 0.5 },
      ]),
    ],
  })

describe('GPU-initiated accesses', () => {
  const run = () =>
    runProbe(experiment(topology, workload(0), 'first-touch', {}, { durationS: 0.1 }), {
      samples: { period: 100 },
      cxlMonitor: { threshold: 50, maxRecords: 1000 },
      gpuCounters: { threshold: 50 },
    })
  const { log } = run()

  it('the CXL monitor sees them; samples do not', () => {
    // Only the GPU touches CXL frames here (p0 reads only 'own'), at well over 1e6 accesses/s
    // spread over 64+64 frames: ≫ 50 per frame per 10 ms epoch, so CXL frames are reported.
    // 0.1 s = 10 epochs, each reporting all 34 CXL frames of r0.
    expect(log.cxl.length).toBe(10)
    for (const e of log.cxl) {
      expect(e.records.length).toBe(34)
      expect(e.node).toBe(1)
      for (const n of e.frameNodes) expect(n).toBe(1)
    }
    for (const s of log.samples) expect(s.process).toBe(0)
    expect(log.samples.length).toBeGreaterThan(0)
  })

  it('GPU counters report only remote accesses by the GPU', () => {
    // Each epoch: r0's 30 DRAM + 34 CXL frames are remote to g0 and reach 50; its 64 HBM
    // frames (node 2) are read just as often but are local, so they are never reported.
    expect(log.gpu.length).toBe(10)
    for (const e of log.gpu) expect(e.notes.length).toBe(64)
    for (const e of log.gpu)
      for (let i = 0; i < e.notes.length; i++) {
        expect(e.notes[i].process).toBe(1)
        expect(e.notes[i].node).not.toBe(2)
        expect(e.frameNodes[i]).not.toBe(2)
        expect(e.notes[i].count).toBeGreaterThanOrEqual(50)
      }
  })
})

describe("a coherent GPU's HBM as a migration target", () => {
  it('takes the frames its counters report, after which they stop being reported', () => {
    const outcomes: MigrationOutcome[] = []
    const perEpoch: number[] = []
    const def = definePolicy({
      id: 'gpu-pull',
      name: 'pull to HBM',
      description: 'tests only',
      knobs: z.strictObject({}),
      subscriptions: () => ({ gpuCounters: { threshold: 50 } }),
      reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
      create: (_k, ctx) => ({
        onGpuCounter: (notes) => {
          perEpoch[ctx.epoch] = notes.length
          for (const n of notes) outcomes.push(ctx.migrate(n.frame, 2, 'async'))
        },
      }),
    })
    const exp = experiment(topology, workload(0), 'gpu-pull', {}, { durationS: 0.1 })
    const r = runSimulation(exp, def)
    // Epoch 0: r0's 64 remote frames are reported and queued on node 2's kernel thread, which
    // moves them within the epoch; from then on they are local to the GPU and never reported.
    // Epoch 0: r0's 64 remote frames are reported and queued on node 2's kernel thread. At
    // ~250 µs per 2 MiB frame in a batch of 64, one core's 10 ms moves about 50 of them; the rest
    // are reported once more (still waiting: not queued twice) and move in epoch 1.
    expect(perEpoch[0]).toBe(64)
    expect(perEpoch[1]).toBeGreaterThan(0)
    expect(perEpoch[1]).toBeLessThan(64)
    expect(outcomes.every((o) => o === 'queued')).toBe(true)
    // HBM holds 128 frames: the GPU's own 64 and all of r0 but the one frame its high watermark
    // keeps free, which stays remote (reported, queued and dropped for want of room each epoch).
    expect(r.summary.droppedMigrations).toBe(r.summary.failedMigrations)
    const used2 = r.series.find((x) => x.key === 'node.2.usedBytes')!.values
    expect(used2.at(-1)).toBe(127 * 2 * 1024 * 1024)
    expect(perEpoch.slice(3).every((n) => n === 1)).toBe(true)
    expect(r.summary.migratedBytes).toBe(63 * 2 * 1024 * 1024)
    expect(r.summary.failedMigrations).toBeGreaterThan(0)
  })
})
