import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation, type SimulationResult } from '../../../../../main/engine'
import { findPolicy } from '../../../../../main/engine/policies/registry'
import { workloadSchema, type WorkloadInput } from '../../../../../shared/formats/workload'
import { experiment, socketPlusCxl } from '../sim/fixtures'
import { expectModesAgree } from './agreement'

const MiB = 2 ** 20
const series = (r: SimulationResult, key: string) => r.series.find((s) => s.key === key)!.values
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
const tail = (v: number[], share: number) => v.slice(Math.floor(v.length * (1 - share)))

/**
 * Two regions: `first` is allocated first and fills DRAM; `second` lands on CXL. The process
 * spends `secondShare` of its accesses on `second` (a hot set), the rest uniformly on `first`.
 */
function twoRegions(
  firstGiB: number,
  secondGiB: number,
  secondShare: number,
  backing: { first?: 'anon' | 'file' | 'tmpfs'; second?: 'anon' | 'file' | 'tmpfs' } = {},
) {
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'hot set behind a cold region',
    regions: [
      { id: 'first', sizeGiB: firstGiB, firstTouch: 'p0', backing: backing.first },
      { id: 'second', sizeGiB: secondGiB, firstTouch: 'p0', backing: backing.second },
    ],
    processes: [
      {
        id: 'p0',
        initiator: 's0',
        threads: 1,
        computeNsPerOp: 300,
        accessesPerOp: 1,
        mlp: 1,
        writeFraction: 0,
        phases: [
          {
            durationS: 1,
            accesses: [
              { region: 'first', share: 1 - secondShare, pattern: { kind: 'uniform' } },
              {
                region: 'second',
                share: secondShare,
                pattern: { kind: 'hotset', hotFraction: 0.5, hotProbability: 0.999 },
              },
            ],
          },
        ],
      },
    ],
  } satisfies WorkloadInput)
}

describe('tpp', () => {
  // 128 MiB DRAM + 512 MiB CXL. A cold 128 MiB region fills DRAM; the 64 MiB region holding the
  // hot set (32 MiB, 99.9 % of its accesses) starts on CXL and takes 98 % of all accesses.
  const topo = socketPlusCxl(1 / 8, 1 / 2)
  const wl = twoRegions(1 / 8, 1 / 16, 0.98)
  const run = (policy: string, params: Record<string, unknown> = {}, durationS = 8) =>
    runSimulation(
      experiment(topo, wl, policy, params, { pageBytes: 4096, durationS }),
      BUILTIN_POLICIES,
    )
  const ft = run('first-touch')
  const tp = run('tpp')
  const nb = run('numa-balancing-tiering')

  it('beats first-touch on a hot set that starts on CXL, as NUMA balancing does', () => {
    // First touch leaves the hot set on CXL: only the 2 % cold accesses hit DRAM.
    expect(ft.summary.topTierHitRatio).toBeLessThan(0.1)
    for (const r of [tp, nb]) {
      expect(r.summary.promotedBytes).toBeGreaterThan(16 * MiB)
      expect(r.summary.topTierHitRatio).toBeGreaterThan(ft.summary.topTierHitRatio + 0.3)
      expect(r.summary.throughputOpsPerS).toBeGreaterThan(ft.summary.throughputOpsPerS * 1.05)
      // At the end most of the hot set is in DRAM.
      expect(mean(tail(series(r, 'topTierHitRatio'), 0.2))).toBeGreaterThan(0.7)
    }
  })

  it('keeps the demote watermark free on DRAM, more than the promo watermark NUMA balancing keeps', () => {
    // WMARK_DEMOTE = max(2 % of 32768 pages, 2·HIGH) = 655 pages = 2.56 MiB (HIGH = 241 pages
    // here: min_free_kbytes 3238 over 640 MiB, DRAM's share 161 pages, δ = 40) [TPP-P][PA].
    const mark = series(tp, 'policy.demoteWatermarkMiB')
    expect(mark[0]).toBeCloseTo((655 * 4096) / MiB, 2)
    // kswapd demotes proactively down to it: over the run's second half DRAM keeps at least the
    // mark free on average (promotions eat into it between kswapd runs), NUMA balancing only
    // its promo watermark (HIGH + δ = 281 pages ≈ 1.1 MiB).
    const free = (r: SimulationResult) =>
      mean(tail(series(r, 'node.0.usedBytes'), 0.5).map((u) => 128 * MiB - u)) / MiB
    expect(free(tp)).toBeGreaterThan(0.8 * mark[0])
    expect(free(tp)).toBeGreaterThan(free(nb) + 0.8)
    expect(tp.summary.demotions).toBeGreaterThan(0)
  })

  it('promotes a page on its second hint fault only (active-LRU filter)', () => {
    const filtered = series(tp, 'policy.filteredHintFaults')
    expect(Math.max(...filtered)).toBeGreaterThan(0)
    // Without the filter the first fault promotes: more promotions early, for the same scans.
    const unfiltered = run('tpp', { activeLruFilter: false }, 2)
    const early = run('tpp', {}, 2)
    expect(Math.max(...series(unfiltered, 'policy.filteredHintFaults'))).toBe(0)
    expect(unfiltered.summary.promotions).toBeGreaterThan(early.summary.promotions)
  })

  it('places file-backed and tmpfs regions on CXL first, anonymous memory on DRAM', () => {
    // A 96 MiB file cache region is allocated before a 64 MiB anonymous heap that takes 90 % of
    // the accesses. First touch fills DRAM with the file cache; TPP puts it on CXL.
    for (const backing of ['file', 'tmpfs'] as const) {
      const files = twoRegions(3 / 32, 1 / 16, 0.9, { first: backing })
      const one = (policy: string) =>
        runSimulation(
          experiment(topo, files, policy, {}, { pageBytes: 4096, durationS: 0.5 }),
          BUILTIN_POLICIES,
        )
      const t = one('tpp')
      const f = one('first-touch')
      const used = (r: SimulationResult, n: number) => series(r, `node.${n}.usedBytes`)[0] / MiB
      expect(used(t, 1)).toBeCloseTo(96, 0)
      expect(used(t, 0)).toBeCloseTo(64, 0)
      expect(used(f, 0)).toBeGreaterThan(120)
      expect(t.summary.topTierHitRatio).toBeGreaterThan(0.85)
      expect(f.summary.topTierHitRatio).toBeLessThan(0.6)
    }
    // Turned off, TPP places as first touch does.
    const off = runSimulation(
      experiment(
        topo,
        twoRegions(3 / 32, 1 / 16, 0.9, { first: 'file' }),
        'tpp',
        { pageTypeAware: false },
        { pageBytes: 4096, durationS: 0.1 },
      ),
      BUILTIN_POLICIES,
    )
    expect(series(off, 'node.0.usedBytes')[0] / MiB).toBeGreaterThan(120)
  })

  it('agrees in fast and exact mode while it promotes and demotes', () => {
    const { fast, exact } = expectModesAgree('tpp', { scanDelayMs: 200 })
    expect(fast.promotions).toBeGreaterThan(200)
    expect(exact.promotions).toBeGreaterThan(200)
  })

  it('refuses a demote scale factor outside 1..10000 naming the knob', () => {
    const knobs = findPolicy('tpp')!.knobs
    const bad = knobs.safeParse({ demoteScaleFactor: 0 })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0].path).toEqual(['demoteScaleFactor'])
    expect(knobs.safeParse({ demoteScaleFactor: 20000 }).success).toBe(false)
    expect(() => run('tpp', { demoteScaleFactor: 0 }, 0.1)).toThrow(
      /knob "demoteScaleFactor" must be a whole number from 1 to 10000/,
    )
    expect(knobs.parse({})).toMatchObject({ demoteScaleFactor: 200, activeLruFilter: true })
  })
})
