import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'

/** Used bytes per node at the end of a run (the node.N.usedBytes series). */
function usedBytes(r: ReturnType<typeof runSimulation>, node: number): number {
  const s = r.series.find((x) => x.key === `node.${node}.usedBytes`)!
  return s.values[s.values.length - 1]
}

const MiB = 1024 * 1024
const short = { durationS: 0.05 }

describe('placement policies', () => {
  it('first-touch fills the local node down to its low watermark, then falls back by distance', () => {
    // 64 MiB DRAM, 256 MiB region of 2 MiB pages: DRAM keeps its low watermark free, the rest
    // (at least 256 − 64 = 192 MiB) lands on the CXL node.
    const r = runSimulation(
      experiment(
        socketPlusCxl(1 / 16, 1),
        singleRegion(0.25, { kind: 'uniform' }),
        'first-touch',
        {},
        short,
      ),
      BUILTIN_POLICIES,
    )
    const dram = usedBytes(r, 0)
    const cxl = usedBytes(r, 1)
    expect(dram + cxl).toBe(256 * MiB)
    expect(dram).toBeLessThan(64 * MiB)
    expect(dram).toBeGreaterThanOrEqual(60 * MiB)
    expect(r.summary.migratedBytes).toBe(0)
  })

  it('interleave alternates pages over the nodes', () => {
    // 128 pages of 2 MiB, 2 nodes: 64 each.
    const r = runSimulation(
      experiment(
        socketPlusCxl(1, 1),
        singleRegion(0.25, { kind: 'uniform' }),
        'interleave',
        {},
        short,
      ),
      BUILTIN_POLICIES,
    )
    expect(usedBytes(r, 0)).toBe(64 * 2 * MiB)
    expect(usedBytes(r, 1)).toBe(64 * 2 * MiB)
  })

  it('weighted interleave follows the kernel auto weights', () => {
    // access1 bandwidth: DRAM min(100, 100) GB/s = 100000 MB/s; CXL min(30, 30, link 32) = 30000.
    // Σ = 130000: DRAM floor(32·100000/130000) = 24, CXL floor(32·30000/130000) = 7; GCD 1.
    // 128 pages: 4 rounds of 31 = 124 (96 + 28), then 4 more on DRAM: 100 and 28.
    const r = runSimulation(
      experiment(
        socketPlusCxl(1, 1),
        singleRegion(0.25, { kind: 'uniform' }),
        'weighted-interleave',
        {},
        short,
      ),
      BUILTIN_POLICIES,
    )
    expect(usedBytes(r, 0) / (2 * MiB)).toBe(100)
    expect(usedBytes(r, 1) / (2 * MiB)).toBe(28)
  })

  it('weighted interleave takes manual weights', () => {
    // Weights 3:1 over 128 pages: 96 and 32.
    const r = runSimulation(
      experiment(
        socketPlusCxl(1, 1),
        singleRegion(0.25, { kind: 'uniform' }),
        'weighted-interleave',
        { mode: 'manual', weights: { '0': 3, '1': 1 } },
        short,
      ),
      BUILTIN_POLICIES,
    )
    expect(usedBytes(r, 0) / (2 * MiB)).toBe(96)
    expect(usedBytes(r, 1) / (2 * MiB)).toBe(32)
  })

  it('the oracle fills the top tier with the hottest pages', () => {
    // Hot set = 10 % of 256 MiB; DRAM 128 MiB holds it. First touch puts the first ~half of the
    // (shuffled) region on DRAM; the oracle moves the hot pages there within its budget.
    const r = runSimulation(
      experiment(
        socketPlusCxl(1 / 8, 1),
        singleRegion(0.25, { kind: 'hotset', hotFraction: 0.1, hotProbability: 0.9 }),
        'oracle',
        {},
        { durationS: 1, pageBytes: 4096 },
      ),
      BUILTIN_POLICIES,
    )
    const hit = r.series.find((s) => s.key === 'topTierHitRatio')!
    // 90 % of accesses go to the hot set, plus DRAM's share of the cold rest: ≥ 0.9 at the end.
    expect(hit.values[hit.values.length - 1]).toBeGreaterThan(0.9)
    expect(r.summary.promotedBytes).toBeGreaterThan(0)
  })

  it('the oracle swaps a hot page in even when the equally cold pages filling DRAM rank in the hot set', () => {
    // A real trace's shape: a large region touched once per page (all tied) is allocated first and
    // fills DRAM; a small region holding most accesses lands on CXL. The hot set counts DRAM's whole
    // capacity, so the tied cold pages that fill DRAM (first in their tie, by index) all rank
    // inside it (DRAM holds less than its capacity: the watermarks): no victim outside the hot set.
    const workload = workloadSchema.parse({
      format: 'tierlab.workload/v1',
      name: 'cold first, hot last',
      regions: [
        { id: 'cold', sizeGiB: 64 / 1024, firstTouch: 'p0', allocation: 'start' },
        { id: 'hot', sizeGiB: 1 / 16384, firstTouch: 'p0', allocation: 'start' },
      ],
      processes: [
        {
          id: 'p0',
          initiator: 's0',
          threads: 1,
          computeNsPerOp: 50,
          accessesPerOp: 1,
          mlp: 4,
          writeFraction: 0,
          phases: [
            {
              durationS: 1,
              accesses: [
                { region: 'cold', share: 0.1, pattern: { kind: 'uniform' } },
                { region: 'hot', share: 0.9, pattern: { kind: 'uniform' } },
              ],
            },
          ],
        },
      ],
    })
    const r = runSimulation(
      experiment(
        socketPlusCxl(16 / 1024, 1),
        workload,
        'oracle',
        {},
        {
          durationS: 0.5,
          pageBytes: 4096,
        },
      ),
      BUILTIN_POLICIES,
    )
    // The hot 64 KiB fits in DRAM many times over: the oracle serves ~0.9 + DRAM's cold share there.
    expect(r.summary.topTierHitRatio).toBeGreaterThan(0.9)
  })
})
