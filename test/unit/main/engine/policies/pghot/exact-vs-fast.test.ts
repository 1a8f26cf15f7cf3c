import { describe, expect, it } from 'vitest'
import {
  BUILTIN_POLICIES,
  runSimulation,
  type ResolvedExperiment,
} from '../../../../../../main/engine'
import {
  experiment,
  sharedRegion,
  singleRegion,
  socketPlusCxl,
  twoSocketsPlusCxl,
} from '../../sim/fixtures'

/**
 * pghot's sources beyond its default (hint faults, which the engine's validation set runs with
 * every shipped policy in test/unit/main/engine/sim/exact-vs-fast.test.ts) on the same small
 * experiments, with the same tolerances and for the same reasons (see there): throughput within
 * 3 % plus the share of charged mechanism CPU that differs, top-tier hit ratio within 0.05,
 * migrated bytes within 30 % (or 64 frames). Sampling is denser than the default so that these
 * 1.5 s runs of ~1e5 accesses promote at all.
 */
const TOL_THROUGHPUT = 0.03
const TOL_HIT = 0.05
const TOL_MIGRATED = 0.3

const slow = { threads: 1, computeNsPerOp: 16000 }
const hotset = (): ResolvedExperiment =>
  experiment(
    socketPlusCxl(1 / 32, 1 / 8),
    singleRegion(1 / 16, { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.95 }, slow),
    'pghot',
  )
const twoSockets = (): ResolvedExperiment =>
  experiment(
    twoSocketsPlusCxl(1 / 64, 1 / 8),
    sharedRegion(1 / 16, { kind: 'zipf', s: 1.1 }, slow),
    'pghot',
  )

const cases: Array<{
  name: string
  make: () => ResolvedExperiment
  params: Record<string, unknown>
}> = [
  { name: 'IBS, hot set', make: hotset, params: { sources: ['ibs'], samplePeriod: 8 } },
  { name: 'PTE scan, hot set', make: hotset, params: { sources: ['pte-scan'], scanPeriodMs: 200 } },
  {
    name: 'IBS + PEBS, precise, accessor target, two sockets',
    make: twoSockets,
    params: { sources: ['ibs', 'pebs'], samplePeriod: 16, mode: 'precise', target: 'accessor' },
  },
  {
    name: 'IBS, cost-aware, hot set',
    make: hotset,
    params: { sources: ['ibs'], samplePeriod: 8, costAware: true },
  },
]

describe('pghot: exact mode agrees with fast mode', () => {
  for (const c of cases)
    it(c.name, () => {
      const base = {
        ...c.make(),
        policy: { id: 'pghot', params: c.params },
        pageBytes: 4096 as const,
        durationS: 1.5,
      }
      const fast = runSimulation({ ...base, mode: 'fast' }, BUILTIN_POLICIES).summary
      const exact = runSimulation({ ...base, mode: 'exact' }, BUILTIN_POLICIES).summary
      // The comparison means something only if both modes promoted.
      expect(fast.promotions).toBeGreaterThan(50)
      expect(exact.promotions).toBeGreaterThan(50)
      expect(fast.hintFaults + exact.hintFaults).toBe(0)
      const threadS = base.durationS * base.workload.processes.reduce((s, p) => s + p.threads, 0)
      const cpuShare = Math.abs(exact.policyCpuS - fast.policyCpuS) / threadS
      expect(Math.abs(exact.throughputOpsPerS / fast.throughputOpsPerS - 1)).toBeLessThan(
        TOL_THROUGHPUT + cpuShare,
      )
      expect(Math.abs(exact.topTierHitRatio - fast.topTierHitRatio)).toBeLessThan(TOL_HIT)
      const big = Math.max(exact.migratedBytes, fast.migratedBytes)
      const diff = Math.abs(exact.migratedBytes - fast.migratedBytes)
      expect(diff <= TOL_MIGRATED * big || diff <= 64 * 4096).toBe(true)
    })
})
