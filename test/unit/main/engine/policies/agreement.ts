import { expect } from 'vitest'
import {
  BUILTIN_POLICIES,
  runSimulation,
  type ResolvedExperiment,
} from '../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'

/**
 * Fast and exact mode on the validation set's first case (hotset on DRAM + CXL, ~1e5 drawn
 * accesses), with knobs that make the policy migrate within 1.5 s, checked with the tolerances of
 * test/unit/main/engine/sim/exact-vs-fast.test.ts (3 % throughput plus the charged-CPU share,
 * 0.05 hit ratio, 30 % migrated bytes or 64 frames). Returns both summaries.
 * The hot set sits in 2 MiB runs (clusterPages 512), where one seed is representative. With the
 * default 256 KiB runs damon-tiering's hit ratio varies by ~0.13 between seeds in either mode, so
 * its test there compares five-seed means (docs/engine-approximations.md).
 */
export function expectModesAgree(policy: string, params: Record<string, unknown>) {
  const base: ResolvedExperiment = {
    ...experiment(
      socketPlusCxl(1 / 32, 1 / 8),
      singleRegion(
        1 / 16,
        { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.95, clusterPages: 512 },
        { threads: 1, computeNsPerOp: 16000 },
      ),
      policy,
      params,
    ),
    pageBytes: 4096,
    durationS: 1.5,
  }
  const fast = runSimulation({ ...base, mode: 'fast' }, BUILTIN_POLICIES).summary
  const exact = runSimulation({ ...base, mode: 'exact' }, BUILTIN_POLICIES).summary
  const cpuShare = Math.abs(exact.policyCpuS - fast.policyCpuS) / base.durationS
  expect(Math.abs(exact.throughputOpsPerS / fast.throughputOpsPerS - 1)).toBeLessThan(
    0.03 + cpuShare,
  )
  expect(Math.abs(exact.topTierHitRatio - fast.topTierHitRatio)).toBeLessThan(0.05)
  const big = Math.max(exact.migratedBytes, fast.migratedBytes)
  const diff = Math.abs(exact.migratedBytes - fast.migratedBytes)
  expect(diff <= 0.3 * big || diff <= 64 * 4096).toBe(true)
  return { fast, exact }
}
