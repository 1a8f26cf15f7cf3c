import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'

/**
 * Fast and exact mode agree for Memtis and HeMem on a validation-set machine (as
 * sim/exact-vs-fast.test.ts, whose default-knob runs of these two migrate nothing: a 32 MiB fast
 * tier is below Memtis's 100 MB headroom floor, and HeMem's period of 5003 gives these ~6e4
 * accesses/s a dozen samples a second). Here both are made to act: samples every 4 accesses,
 * thresholds reachable within the run, 2 MiB pages (32 of them, half fitting DRAM).
 * Tolerances are the validation set's: throughput 3 % plus the difference in mechanism CPU as a
 * share of thread time, top-tier hit ratio 0.05, migrated bytes within 30 % (or 2 pages: a
 * handful of moves whose timing is random in both modes).
 */
const slow = { threads: 1, computeNsPerOp: 16000 }
const cases: Array<{ id: string; params: Record<string, unknown> }> = [
  {
    id: 'memtis',
    params: { samplePeriod: 4, adaptationPeriodSamples: 2000, headroomMinMB: 0 },
  },
  { id: 'hemem', params: { samplePeriod: 4 } },
]

describe('Memtis and HeMem agree in fast and exact mode', () => {
  for (const c of cases)
    it(c.id, () => {
      const base = experiment(
        socketPlusCxl(1 / 32, 1 / 8),
        singleRegion(1 / 16, { kind: 'zipf', s: 0.99 }, { ...slow, writeFraction: 0.3 }),
        c.id,
        c.params,
        { pageBytes: 2097152, durationS: 4 },
      )
      const fast = runSimulation({ ...base, mode: 'fast' }, BUILTIN_POLICIES).summary
      const exact = runSimulation({ ...base, mode: 'exact' }, BUILTIN_POLICIES).summary
      // Both acted.
      expect(fast.promotions).toBeGreaterThan(0)
      expect(exact.promotions).toBeGreaterThan(0)
      const threadS = base.durationS
      const cpuShare = Math.abs(exact.policyCpuS - fast.policyCpuS) / threadS
      expect(Math.abs(exact.throughputOpsPerS / fast.throughputOpsPerS - 1)).toBeLessThan(
        0.03 + cpuShare,
      )
      expect(Math.abs(exact.topTierHitRatio - fast.topTierHitRatio)).toBeLessThan(0.05)
      const big = Math.max(exact.migratedBytes, fast.migratedBytes)
      const diff = Math.abs(exact.migratedBytes - fast.migratedBytes)
      expect(diff <= 0.3 * big || diff <= 2 * 2097152).toBe(true)
    })
})
