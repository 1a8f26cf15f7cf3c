import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'

/**
 * Fast mode's hint-fault arrivals follow each frame's rate as it changes (a moving window's
 * frames, and the process's rate from epoch to epoch), so promotions agree with exact mode, which
 * takes every fault at a drawn access. Drawing each arrival once from the rate at scan time gave
 * 4 % fewer promotions here.
 */
describe('hint-fault arrival in fast mode', () => {
  it('gives exact mode’s promotions within 2 % on a moving window when the rate limit binds', () => {
    const base = experiment(
      socketPlusCxl(1 / 16, 1),
      singleRegion(
        1 / 4,
        { kind: 'moving-window', widthFraction: 0.2, periodS: 2, windowProbability: 0.9 },
        { threads: 1, computeNsPerOp: 300 },
      ),
      'numa-balancing-tiering',
      { scanDelayMs: 200, rateLimitMBps: 40 },
      { pageBytes: 4096, durationS: 2 },
    )
    const fast = runSimulation({ ...base, mode: 'fast' }, BUILTIN_POLICIES).summary
    const exact = runSimulation({ ...base, mode: 'exact' }, BUILTIN_POLICIES).summary
    // About 10 900 promotions each: the Poisson noise alone is about 1 %.
    expect(exact.promotions).toBeGreaterThan(5000)
    expect(Math.abs(fast.promotions / exact.promotions - 1)).toBeLessThan(0.02)
  }, 180_000) // exact mode draws ~4 million accesses
})
