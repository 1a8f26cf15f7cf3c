import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from './fixtures'

/**
 * Allocation fallback and kswapd [PA]: falling back to a lower node on the fast path wakes no
 * kswapd (only the slow path's wake_all_kswapds does), so a first-touch spill onto CXL leaves
 * DRAM at its low watermark instead of demoting down to the promo watermark.
 */
describe('allocation fallback', () => {
  // 256 MiB of DRAM, a 384 MiB region: first touch fills DRAM down to its low watermark and puts
  // the rest on CXL, which has plenty of room above its own low watermark.
  const run = (durationS: number) =>
    runSimulation(
      experiment(
        socketPlusCxl(0.25, 1),
        singleRegion(0.375, { kind: 'uniform' }),
        'numa-balancing-tiering',
        {},
        { durationS, pageBytes: 2097152 },
      ),
      BUILTIN_POLICIES,
    )

  it('does not wake kswapd when an allocation falls back to CXL on the fast path', () => {
    // 0.5 s: the NUMA scanner has not started yet (scan delay 1 s), so no promotion can fail and
    // wake kswapd either; any demotion would come from the allocation's wake-up.
    const r = run(0.5)
    expect(r.summary.demotedBytes).toBe(0)
    const used = r.series.find((s) => s.key === 'node.1.usedBytes')!
    expect(used.values[used.values.length - 1]).toBeGreaterThan(128 * 1024 * 1024)
  })
})
