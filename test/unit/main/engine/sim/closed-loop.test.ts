import { describe, expect, it } from 'vitest'
import { runSimulation, BUILTIN_POLICIES } from '../../../../../main/engine'
import { defaultLatencyCurve, latencyFactorAt } from '../../../../../main/engine/sim/latency-curve'
import { topologySchema, type TopologyInput } from '../../../../../shared/formats/topology'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { CXL, DRAM, experiment } from './fixtures'

/**
 * The closed loop's consistency where bandwidth binds: at every epoch each process's throughput
 * and mean latency satisfy time per op = compute + accesses × latency ÷ MLP, and each memory's
 * loaded latency is its device latency times the curve at its utilisation.
 */

type Result = ReturnType<typeof runSimulation>
const curve = defaultLatencyCurve()

function series(r: Result, key: string): number[] {
  const s = r.series.find((x) => x.key === key)
  if (!s) throw new Error(`no series ${key}`)
  return s.values
}

/** Bandwidth-hungry process: 8 threads, no compute, MLP 200 (≈ 1 TB/s at idle latency). */
const hungry = { threads: 8, computeNsPerOp: 0, accessesPerOp: 1, mlp: 200 }

function workload(sizeGiB: number, pattern: object) {
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'hungry',
    regions: [{ id: 'r0', sizeGiB, firstTouch: 'p0' }],
    processes: [
      {
        id: 'p0',
        initiator: 's0',
        writeFraction: 0,
        ...hungry,
        phases: [{ durationS: 1, accesses: [{ region: 'r0', share: 1, pattern }] }],
      },
    ],
  })
}

function machine(components: TopologyInput['components'], links: TopologyInput['links']) {
  return topologySchema.parse({ format: 'tierlab.topology/v1', name: 't', components, links })
}

/** Every epoch in which no CPU overhead was charged (the loop's equation has no extra term). */
function expectConsistent(r: Result, deviceNs: Record<number, number>): void {
  const ops = series(r, 'process.p0.throughputOpsPerS')
  const lat = series(r, 'process.p0.meanLatencyNs')
  const cpu = series(r, 'policyCpuShare')
  let checked = 0
  for (let e = 0; e < ops.length; e++) {
    if (e > 0 && cpu[e - 1] > 0) continue
    const tpoNs = hungry.computeNsPerOp + (hungry.accessesPerOp * lat[e]) / hungry.mlp
    const expected = (hungry.threads * 1e9) / tpoNs
    expect(Math.abs(ops[e] / expected - 1)).toBeLessThan(0.05)
    checked++
  }
  expect(checked).toBeGreaterThan(ops.length / 2)
  for (const [node, ns] of Object.entries(deviceNs)) {
    const util = series(r, `node.${node}.bandwidthUtilisation`)
    const loaded = series(r, `node.${node}.loadedLatencyNs`)
    for (let e = 0; e < util.length; e++)
      expect(loaded[e] / (ns * latencyFactorAt(curve, util[e]))).toBeCloseTo(1, 6)
  }
  expect(r.warnings).toEqual([])
}

const last = (xs: number[]) => xs[xs.length - 1]

describe('closed loop under saturation', () => {
  const dramPlusCxl = (dramGiB: number) =>
    machine(
      [
        { id: 's0', kind: 'socket', cores: 8, memory: { capacityGiB: dramGiB, ...DRAM } },
        { id: 'c0', kind: 'cxl-memory', memory: { capacityGiB: 1, ...CXL } },
      ],
      [{ a: 's0', b: 'c0', kind: 'cxl', bandwidthGBps: 32, latencyNs: 70 }],
    )
  // A 100 MiB hot set taking 95 % of the accesses, in a 512 MiB region that fits in DRAM: first
  // touch and the oracle keep it all there, capped by DRAM's 100 GB/s. Weighted interleave
  // (auto 24:7 from 100 and 30 GB/s) can use both memories' bandwidth, up to 130 GB/s.
  const hot = workload(0.5, { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.95 })
  const run = (policy: string, dramGiB = 1) =>
    runSimulation(
      experiment(dramPlusCxl(dramGiB), hot, policy, {}, { durationS: 1, pageBytes: 2097152 }),
      BUILTIN_POLICIES,
    )

  it('is consistent with DRAM saturated by a hot set the oracle pulls in', () => {
    // 256 MiB of DRAM: first touch leaves half the hot set on CXL, the oracle migrates it.
    const r = run('oracle', 0.25)
    expect(r.summary.promotedBytes).toBeGreaterThan(0)
    expect(last(series(r, 'node.0.bandwidthUtilisation'))).toBeGreaterThan(0.85)
    expectConsistent(r, { 0: DRAM.readLatencyNs, 1: CXL.readLatencyNs })
    // DRAM's traffic is what the accesses it serves ask for: ops × 64 B × share = util × peak.
    const ops = last(series(r, 'throughputOpsPerS'))
    const share0 = last(series(r, 'node.0.accessShare'))
    const util0 = last(series(r, 'node.0.bandwidthUtilisation'))
    expect((ops * 64 * share0) / 100e9 / util0).toBeCloseTo(1, 6)
  })

  it('spreading the bandwidth-bound hot set (weighted interleave) beats pulling it into DRAM', () => {
    const oracle = run('oracle').summary.throughputOpsPerS
    const firstTouch = run('first-touch').summary.throughputOpsPerS
    const spread = run('weighted-interleave')
    expectConsistent(spread, { 0: DRAM.readLatencyNs, 1: CXL.readLatencyNs })
    expect(spread.summary.throughputOpsPerS).toBeGreaterThan(1.1 * oracle)
    expect(spread.summary.throughputOpsPerS).toBeGreaterThan(1.1 * firstTouch)
  })

  it('is consistent with a saturated CXL link, which caps the traffic it carries', () => {
    const t = machine(
      [
        { id: 's0', kind: 'socket', cores: 8, memory: { capacityGiB: 1, ...DRAM } },
        { id: 'c0', kind: 'cxl-memory', memory: { capacityGiB: 1, ...CXL, readBandwidthGBps: 60 } },
      ],
      [{ a: 's0', b: 'c0', kind: 'cxl', bandwidthGBps: 12, latencyNs: 70 }],
    )
    const r = runSimulation(
      experiment(t, workload(0.5, { kind: 'uniform' }), 'interleave', {}, { durationS: 0.2 }),
      BUILTIN_POLICIES,
    )
    expectConsistent(r, { 0: DRAM.readLatencyNs, 1: CXL.readLatencyNs })
    const cxlGBps =
      (last(series(r, 'throughputOpsPerS')) * 64 * last(series(r, 'node.1.accessShare'))) / 1e9
    expect(cxlGBps).toBeGreaterThan(0.85 * 12)
    expect(cxlGBps).toBeLessThan(1.1 * 12)
  })

  it('is consistent when two CXL devices share a switch uplink', () => {
    const dev = { ...CXL, capacityGiB: 1, readBandwidthGBps: 60, writeBandwidthGBps: 60 }
    const t = machine(
      [
        { id: 's0', kind: 'socket', cores: 8, memory: { capacityGiB: 1, ...DRAM } },
        { id: 'sw', kind: 'cxl-switch', latencyNs: 50 },
        { id: 'c0', kind: 'cxl-memory', memory: dev },
        { id: 'c1', kind: 'cxl-memory', memory: dev },
      ],
      [
        { a: 's0', b: 'sw', kind: 'cxl', bandwidthGBps: 20, latencyNs: 30 },
        { a: 'sw', b: 'c0', kind: 'cxl', bandwidthGBps: 64, latencyNs: 10 },
        { a: 'sw', b: 'c1', kind: 'cxl', bandwidthGBps: 64, latencyNs: 10 },
      ],
    )
    const r = runSimulation(
      experiment(
        t,
        workload(0.5, { kind: 'uniform' }),
        'interleave',
        { nodes: [1, 2] },
        {
          durationS: 0.2,
        },
      ),
      BUILTIN_POLICIES,
    )
    expectConsistent(r, { 1: CXL.readLatencyNs, 2: CXL.readLatencyNs })
    // The uplink carries both devices' traffic and binds it; each device alone is far from its peak.
    const ops = last(series(r, 'throughputOpsPerS'))
    const behindSwitchGBps = (ops * 64) / 1e9
    expect(behindSwitchGBps).toBeGreaterThan(0.85 * 20)
    expect(behindSwitchGBps).toBeLessThan(1.1 * 20)
    expect(last(series(r, 'node.1.bandwidthUtilisation'))).toBeLessThan(0.2)
  })
})
