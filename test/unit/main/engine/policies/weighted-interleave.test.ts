import { describe, expect, it } from 'vitest'
import { runSimulation, BUILTIN_POLICIES } from '../../../../../main/engine'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { systemInterleaveWeights } from '../../../../../main/engine/policies/weighted-interleave'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { experiment } from '../sim/fixtures'
import { cxl, memory, socket, topology, upi, link } from '../topology/build'

/**
 * Two sockets with 300 GB/s DRAM each and one 60 GB/s CXL expander: the kernel's system-wide
 * auto table is floor(32·300/660) = 14, 14, floor(32·60/660) = 2, GCD 2 → 7:7:1 [WI].
 */
function twoSocketsAndCxl(cxlReports = true) {
  return topology(
    [
      socket('s0', memory(100, 300, { capacityGiB: 1 })),
      socket('s1', memory(100, 300, { capacityGiB: 1 })),
      cxl('c0', memory(170, 60, { capacityGiB: 1, reportsPerformance: cxlReports })),
    ],
    [upi('s0', 's1', 50, 400), link('s0', 'c0', 70, 128)],
  )
}

const workload = workloadSchema.parse({
  format: 'tierlab.workload/v1',
  name: 'uniform',
  regions: [{ id: 'r0', sizeGiB: 0.25, firstTouch: 'p0' }],
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
        { durationS: 1, accesses: [{ region: 'r0', share: 1, pattern: { kind: 'uniform' } }] },
      ],
    },
  ],
})

function pagesPerNode(topo: ReturnType<typeof twoSocketsAndCxl>, nodes: number[]): number[] {
  const r = runSimulation(
    experiment(
      topo,
      workload,
      'weighted-interleave',
      { nodes },
      {
        durationS: 0.02,
        pageBytes: 4096,
      },
    ),
    BUILTIN_POLICIES,
  )
  return [0, 1, 2].map((n) => {
    const s = r.series.find((x) => x.key === `node.${n}.usedBytes`)
    return s ? s.values[s.values.length - 1] / 4096 : 0
  })
}

describe('weighted-interleave auto weights (one system-wide table)', () => {
  it('computes 7:7:1 over every memory node', () => {
    const t = systemInterleaveWeights({ analysis: analyzeTopology(twoSocketsAndCxl()) })
    expect([...t.entries()]).toEqual([
      [0, 7],
      [1, 7],
      [2, 1],
    ])
  })

  it('interleaves over a subset with the table entries (7:1), not a re-normalised 26:5', () => {
    // 65536 pages at 7:1: 8192 rounds of 8 → 57344 and 8192 (26:5 would give 54965:10571).
    const used = pagesPerNode(twoSocketsAndCxl(), [0, 2])
    expect(used).toEqual([57344, 0, 8192])
  })

  it('gives weight 1 to a node whose firmware reports no bandwidth', () => {
    // The CXL node reports nothing: 300, 300, 0 → 16, 16, 1 (GCD 1).
    const t = systemInterleaveWeights({ analysis: analyzeTopology(twoSocketsAndCxl(false)) })
    expect([...t.values()]).toEqual([16, 16, 1])
    const used = pagesPerNode(twoSocketsAndCxl(false), [0, 2])
    // 65536 pages at 16:1: 3855 rounds of 17 = 65535 (61680 + 3855), then one more on node 0.
    expect(used).toEqual([61681, 0, 3855])
  })
})
