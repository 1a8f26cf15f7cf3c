import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation, type SimulationResult } from '../../../../../main/engine'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { experiment, socketPlusCxl } from '../sim/fixtures'

const series = (r: SimulationResult, key: string) => r.series.find((s) => s.key === key)!.values
const lastQuarter = (v: number[]) => v.slice(Math.floor((v.length * 3) / 4))
/** Σ of a per-second series over its epochs (10 ms each): the count or MB over that time. */
const total = (v: number[]) => v.reduce((a, b) => a + b, 0) * 0.01

/**
 * A 20 % hot window sweeps a 64 MiB region every 4 s on 32 MiB DRAM + 128 MiB CXL: NUMA
 * balancing promotes the window's pages, kswapd demotes the ones it left. `writeFraction` is the
 * region's (the process itself writes 30 %).
 */
function sweep(writeFraction: number) {
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'sweeping window',
    regions: [{ id: 'r0', sizeGiB: 1 / 16, firstTouch: 'p0', writeFraction }],
    processes: [
      {
        id: 'p0',
        initiator: 's0',
        threads: 2,
        computeNsPerOp: 300,
        accessesPerOp: 1,
        mlp: 4,
        writeFraction: 0.3,
        phases: [
          {
            durationS: 1,
            accesses: [
              {
                region: 'r0',
                share: 1,
                pattern: {
                  kind: 'moving-window',
                  widthFraction: 0.2,
                  periodS: 4,
                  windowProbability: 0.999,
                },
              },
            ],
          },
        ],
      },
    ],
  })
}

describe('NOMAD (non-exclusive tiering)', () => {
  const run = (writeFraction: number, params: Record<string, unknown> = {}, cxlGiB = 1 / 8) =>
    runSimulation(
      experiment(socketPlusCxl(1 / 32, cxlGiB), sweep(writeFraction), 'nomad', params, {
        pageBytes: 4096,
        durationS: 10,
      }),
      BUILTIN_POLICIES,
    )

  it('demotes clean pages without copying and copies written ones', () => {
    const read = run(0)
    const written = run(0.5)
    // Last quarter: the pages DRAM held at the start are gone; what kswapd demotes now was promoted.
    const copiedMB = (r: SimulationResult) =>
      total(lastQuarter(series(r, 'policy.demotionCopyMBps')))
    const freeMB = (r: SimulationResult) =>
      (total(lastQuarter(series(r, 'policy.freeDemotionsPerS'))) * 4096) / 1e6
    expect(freeMB(read)).toBeGreaterThan(10)
    expect(copiedMB(read)).toBeLessThan(0.05 * (copiedMB(read) + freeMB(read)))
    // Written pages lost their shadow to a write before they went cold: most demotions copy.
    expect(copiedMB(written)).toBeGreaterThan(0.5 * (copiedMB(written) + freeMB(written)))
    expect(total(series(written, 'policy.writeInvalidationsPerS'))).toBeGreaterThan(1000)
    expect(total(series(read, 'policy.writeInvalidationsPerS'))).toBe(0)
    // The shadows hold memory on the slow tier: clean pages keep theirs, written ones do not.
    const shadowMB = (r: SimulationResult) => series(r, 'policy.shadowMB').at(-1)!
    expect(shadowMB(read)).toBeGreaterThan(10)
    expect(shadowMB(written)).toBeLessThan(0.5 * shadowMB(read))
    // Copies cost bytes moved: the read-only run moved fewer for as many promotions.
    expect(read.summary.migratedBytes).toBeLessThan(written.summary.migratedBytes)
  })

  it('copies every demotion with shadow copies off (exclusive tiering, as NUMA balancing)', () => {
    const exclusive = run(0, { shadowCopies: false })
    expect(total(series(exclusive, 'policy.freeDemotionsPerS'))).toBe(0)
    expect(series(exclusive, 'policy.shadowMB').every((v) => v === 0)).toBe(true)
    expect(total(lastQuarter(series(exclusive, 'policy.demotionCopyMBps')))).toBeGreaterThan(10)
  })

  it('frees shadow copies when the slow tier runs short', () => {
    // 56 MiB of CXL for the ~33 MiB of the region DRAM cannot hold: shadows of the promoted
    // pages do not all fit above CXL's high watermark, so some are freed, and demotions still
    // find room.
    const tight = run(0, {}, 56 / 1024)
    expect(total(series(tight, 'policy.reclaimedShadowsPerS'))).toBeGreaterThan(0)
    expect(tight.summary.demotedBytes).toBeGreaterThan(0)
    const cxlUsedMB = series(tight, 'node.1.usedBytes').at(-1)! / 1e6
    expect(cxlUsedMB + series(tight, 'policy.shadowMB').at(-1)!).toBeLessThanOrEqual(
      (56 * 1024 * 1024) / 1e6,
    )
  })

  it('refuses a bad knob before anything runs, naming it', () => {
    expect(() => run(0, { promotion: 'sync' })).toThrow(
      /policy "nomad" has no knob "promotion"; its knobs are/,
    )
    expect(() => run(0, { shadowCopies: 'yes' })).toThrow(/policy "nomad": knob "shadowCopies"/)
  })
})
