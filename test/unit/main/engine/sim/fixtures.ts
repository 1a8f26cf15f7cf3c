import { topologySchema, type TopologyInput } from '../../../../../shared/formats/topology'
import { workloadSchema, type WorkloadInput } from '../../../../../shared/formats/workload'
import type { ResolvedExperiment } from '../../../../../main/engine'

/**
 * Small machines and workloads for engine tests. Sizes are kept tiny (MiB, not GiB) so a whole
 * run takes milliseconds; 2 MiB pages keep frame counts low where the test allows it.
 */

export const DRAM = {
  media: 'DDR5',
  readLatencyNs: 100,
  writeLatencyNs: 100,
  readBandwidthGBps: 100,
  writeBandwidthGBps: 100,
}
export const CXL = {
  media: 'DDR5',
  readLatencyNs: 170,
  writeLatencyNs: 170,
  readBandwidthGBps: 30,
  writeBandwidthGBps: 30,
}

/** One socket with `dramGiB` of DRAM and a CXL expander of `cxlGiB` behind a 70 ns link. */
export function socketPlusCxl(dramGiB: number, cxlGiB: number, extra: Partial<TopologyInput> = {}) {
  return topologySchema.parse({
    format: 'tierlab.topology/v1',
    name: '1S + CXL',
    components: [
      { id: 's0', kind: 'socket', cores: 8, memory: { capacityGiB: dramGiB, ...DRAM } },
      { id: 'c0', kind: 'cxl-memory', memory: { capacityGiB: cxlGiB, ...CXL } },
    ],
    links: [{ a: 's0', b: 'c0', kind: 'cxl', bandwidthGBps: 32, latencyNs: 70 }],
    ...extra,
  } satisfies TopologyInput)
}

export interface ProcessSpec {
  id?: string
  initiator?: string
  threads?: number
  computeNsPerOp?: number
  accessesPerOp?: number
  mlp?: number
  writeFraction?: number
}

/** One region of `sizeGiB` accessed by one process with `pattern`. */
export function singleRegion(
  sizeGiB: number,
  pattern: WorkloadInput['processes'][number]['phases'][number]['accesses'][number]['pattern'],
  proc: ProcessSpec = {},
  allocation: 'start' | { rateGBps: number } = 'start',
) {
  const id = proc.id ?? 'p0'
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'single region',
    regions: [{ id: 'r0', sizeGiB, firstTouch: id, allocation }],
    processes: [
      {
        id,
        initiator: proc.initiator ?? 's0',
        threads: proc.threads ?? 2,
        computeNsPerOp: proc.computeNsPerOp ?? 200,
        accessesPerOp: proc.accessesPerOp ?? 1,
        mlp: proc.mlp ?? 1,
        writeFraction: proc.writeFraction ?? 0,
        phases: [{ durationS: 1, accesses: [{ region: 'r0', share: 1, pattern }] }],
      },
    ],
  } satisfies WorkloadInput)
}

export function experiment(
  topology: ReturnType<typeof socketPlusCxl>,
  workload: ReturnType<typeof singleRegion>,
  policy: string,
  params: Record<string, unknown> = {},
  over: Partial<ResolvedExperiment> = {},
): ResolvedExperiment {
  return {
    format: 'tierlab.experiment/v1',
    name: 'test',
    topology,
    workload,
    policy: { id: policy, params },
    pageBytes: 2097152,
    durationS: 5,
    epochMs: 10,
    seed: 1,
    mode: 'fast',
    tags: [],
    ...over,
  }
}

/** Two sockets joined by UPI, each with DRAM, and one CXL expander on socket 0. */
export function twoSocketsPlusCxl(dramGiB: number, cxlGiB: number) {
  return topologySchema.parse({
    format: 'tierlab.topology/v1',
    name: '2S + CXL',
    components: [
      { id: 's0', kind: 'socket', cores: 8, memory: { capacityGiB: dramGiB, ...DRAM } },
      { id: 's1', kind: 'socket', cores: 8, memory: { capacityGiB: dramGiB, ...DRAM } },
      { id: 'c0', kind: 'cxl-memory', memory: { capacityGiB: cxlGiB, ...CXL } },
    ],
    links: [
      { a: 's0', b: 's1', kind: 'upi', bandwidthGBps: 60, latencyNs: 50 },
      { a: 's0', b: 'c0', kind: 'cxl', bandwidthGBps: 32, latencyNs: 70 },
    ],
  } satisfies TopologyInput)
}

/** Two CPU processes, one per socket, sharing one region. */
export function sharedRegion(
  sizeGiB: number,
  pattern: WorkloadInput['processes'][number]['phases'][number]['accesses'][number]['pattern'],
  proc: ProcessSpec = {},
) {
  const p = (id: string, initiator: string) => ({
    id,
    initiator,
    threads: proc.threads ?? 1,
    computeNsPerOp: proc.computeNsPerOp ?? 200,
    accessesPerOp: proc.accessesPerOp ?? 1,
    mlp: proc.mlp ?? 1,
    writeFraction: proc.writeFraction ?? 0,
    phases: [{ durationS: 1, accesses: [{ region: 'r0', share: 1, pattern }] }],
  })
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'shared region',
    regions: [{ id: 'r0', sizeGiB, firstTouch: 'p0' }],
    processes: [p('p0', 's0'), p('p1', 's1')],
  } satisfies WorkloadInput)
}
