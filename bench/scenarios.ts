import { topologySchema } from '../shared/formats/topology'
import { workloadSchema } from '../shared/formats/workload'
import type { ResolvedExperiment } from '../main/engine'

/**
 * Benchmark scenarios. The reference (the brief's): 2 sockets + 2 CXL expanders, 16 GiB footprint
 * at 4 KiB frames (4 Mi frames), zipf 0.99, 60 s simulated, numa-balancing-tiering. Each socket
 * has 4 GiB of DRAM so about half the footprint fits the top tier, the usual tiering setup.
 */
const ddr5 = {
  media: 'DDR5',
  readLatencyNs: 110,
  writeLatencyNs: 110,
  readBandwidthGBps: 300,
  writeBandwidthGBps: 300,
}
const cxl = {
  media: 'DDR5',
  readLatencyNs: 170,
  writeLatencyNs: 170,
  readBandwidthGBps: 36,
  writeBandwidthGBps: 36,
}

export function referenceTopology(dramGiB = 4, cxlGiB = 16) {
  return topologySchema.parse({
    format: 'tierlab.topology/v1',
    name: '2S + 2 CXL (bench)',
    components: [
      { id: 's0', kind: 'socket', cores: 32, memory: { capacityGiB: dramGiB, ...ddr5 } },
      { id: 's1', kind: 'socket', cores: 32, memory: { capacityGiB: dramGiB, ...ddr5 } },
      { id: 'c0', kind: 'cxl-memory', memory: { capacityGiB: cxlGiB, ...cxl } },
      { id: 'c1', kind: 'cxl-memory', memory: { capacityGiB: cxlGiB, ...cxl } },
    ],
    links: [
      { a: 's0', b: 's1', kind: 'upi', bandwidthGBps: 60, latencyNs: 50 },
      { a: 's0', b: 'c0', kind: 'cxl', generation: 5, lanes: 8, latencyNs: 70 },
      { a: 's1', b: 'c1', kind: 'cxl', generation: 5, lanes: 8, latencyNs: 70 },
    ],
  })
}

/**
 * Each socket runs a key-value-store-like process over its own 8 GiB: 2 threads, 500 ns of
 * compute and 2 cache-missing accesses per operation, MLP 2, 20 % writes.
 */
export function referenceWorkload(sizeGiBEach = 8, threads = 2) {
  const proc = (id: string, socket: string, region: string) => ({
    id,
    initiator: socket,
    threads,
    computeNsPerOp: 500,
    accessesPerOp: 2,
    mlp: 2,
    writeFraction: 0.2,
    phases: [
      {
        durationS: 60,
        // Keys hash to buckets, so hot keys are scattered page by page (as the kv-store preset);
        // it also keeps the reference scenario the one engine 0.3.0 ran.
        accesses: [{ region, share: 1, pattern: { kind: 'zipf', s: 0.99, clusterPages: 1 } }],
      },
    ],
  })
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'zipf 0.99, one store per socket',
    regions: [
      { id: 'kv0', sizeGiB: sizeGiBEach, firstTouch: 'p0' },
      { id: 'kv1', sizeGiB: sizeGiBEach, firstTouch: 'p1' },
    ],
    processes: [proc('p0', 's0', 'kv0'), proc('p1', 's1', 'kv1')],
  })
}

export function referenceExperiment(): ResolvedExperiment {
  return {
    format: 'tierlab.experiment/v1',
    name: 'bench reference',
    topology: referenceTopology(),
    workload: referenceWorkload(),
    policy: { id: 'numa-balancing-tiering', params: {} },
    pageBytes: 4096,
    durationS: 60,
    epochMs: 10,
    seed: 1,
    mode: 'fast',
    tags: [],
  }
}

/**
 * Small enough for exact mode, and still tiering: the reference machine scaled down to 32 MiB of
 * DRAM per socket, the reference processes on 64 MiB each, for 1.5 s (~1.8e7 drawn accesses).
 */
export function exactComparable(mode: 'fast' | 'exact'): ResolvedExperiment {
  return {
    ...referenceExperiment(),
    name: `bench ${mode}`,
    topology: referenceTopology(1 / 32, 1),
    workload: referenceWorkload(1 / 16),
    durationS: 1.5,
    mode,
  }
}
