import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { topologySchema } from '../../../../../shared/formats/topology'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { DRAM, experiment, socketPlusCxl } from '../sim/fixtures'

/**
 * Interleave details a whole-run check would miss: which bandwidth the automatic weights come
 * from, and that the page offset counts from the start of each region.
 */

const PAGE = 2 * 1024 * 1024

const runBuiltin = (e: Parameters<typeof runSimulation>[0]) => runSimulation(e, BUILTIN_POLICIES)

function pagesOn(r: ReturnType<typeof runSimulation>, node: number): number {
  const s = r.series.find((x) => x.key === `node.${node}.usedBytes`)!
  return s.values[s.values.length - 1] / PAGE
}

/**
 * A socket (DRAM 200 GB/s) and a coherent GPU whose HBM (2800 GB/s) the CPU reaches over a
 * 600 GB/s link. Both nodes hold memory and the run interleaves over both, so the system-wide
 * weight table and the interleaved subset coincide.
 */
const gpuMachine = topologySchema.parse({
  format: 'tierlab.topology/v1',
  name: 'socket + HBM GPU',
  components: [
    {
      id: 's0',
      kind: 'socket',
      cores: 8,
      memory: { ...DRAM, capacityGiB: 1, readBandwidthGBps: 200, writeBandwidthGBps: 200 },
    },
    {
      id: 'g0',
      kind: 'gpu',
      coherent: true,
      memory: {
        capacityGiB: 1,
        media: 'HBM3',
        readLatencyNs: 300,
        writeLatencyNs: 300,
        readBandwidthGBps: 2800,
        writeBandwidthGBps: 2800,
      },
    },
  ],
  links: [{ a: 's0', b: 'g0', kind: 'nvlink-c2c', bandwidthGBps: 600, latencyNs: 150 }],
})

/** Regions of the given page counts, all first-touched by one CPU process on s0. */
function regions(pageCounts: number[]) {
  const ids = pageCounts.map((_, i) => `r${i}`)
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'regions',
    regions: pageCounts.map((n, i) => ({
      id: ids[i],
      sizeGiB: (n * PAGE) / 2 ** 30,
      firstTouch: 'p0',
    })),
    processes: [
      {
        id: 'p0',
        initiator: 's0',
        threads: 1,
        computeNsPerOp: 200,
        accessesPerOp: 1,
        mlp: 1,
        writeFraction: 0,
        phases: [
          {
            durationS: 1,
            accesses: ids.map((region) => ({
              region,
              share: 1 / ids.length,
              pattern: { kind: 'uniform' as const },
            })),
          },
        ],
      },
    ],
  })
}

const short = { durationS: 0.02 }

describe('weighted interleave weights come from access1 (CPU initiators)', () => {
  it('gives the GPU machine weights 1:3, not the 2:29 that access0 (any initiator) would', () => {
    // access1 (CPUs only) [WI]: DRAM 200 GB/s; HBM as the CPU sees it, min(2800, link 600) = 600.
    // Σ = 800 000 MB/s: floor(32·200/800) = 8, floor(32·600/800) = 24; GCD 8 → 1:3.
    // (access0 would see the HBM from the GPU itself at 2800: floor(32·200/3000) = 2,
    // floor(32·2800/3000) = 29 → 2:29, i.e. 6 and 58 of these 64 pages.)
    // 64 pages at 1:3 → 16 on DRAM, 48 on HBM.
    const r = runBuiltin(experiment(gpuMachine, regions([64]), 'weighted-interleave', {}, short))
    expect([pagesOn(r, 0), pagesOn(r, 1)]).toEqual([16, 48])
  })
})

describe('the interleave offset counts from each region start', () => {
  it('interleave starts every region on the first node', () => {
    // Three regions of 3 pages over 2 nodes: each region places offsets 0,1,2 → nodes 0,1,0,
    // so node 0 gets 6 and node 1 gets 3. A global page index would alternate across regions
    // (5 and 4 for frames 0…8).
    const r = runBuiltin(
      experiment(socketPlusCxl(1, 1), regions([3, 3, 3]), 'interleave', {}, short),
    )
    expect([pagesOn(r, 0), pagesOn(r, 1)]).toEqual([6, 3])
  })

  it('weighted interleave restarts its weight walk in every region', () => {
    // Weights 3:1, regions of 2 pages: offsets 0 and 1 both fall on node 0 in every region, so
    // node 1 gets nothing. A global index would reach offset 3 (node 1) in the second region.
    const r = runBuiltin(
      experiment(
        socketPlusCxl(1, 1),
        regions([2, 2, 2, 2]),
        'weighted-interleave',
        { mode: 'manual', weights: { '0': 3, '1': 1 } },
        short,
      ),
    )
    expect([pagesOn(r, 0), pagesOn(r, 1)]).toEqual([8, 0])
  })
})
