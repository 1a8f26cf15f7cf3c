import { describe, expect, it } from 'vitest'
import { ACCESSED_BIT_CHECK_S } from '../../../../../main/engine/sim/kswapd'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'
import { runProbe } from './probe'

describe('accessed-bit checks', () => {
  it('are counted and charged per check, with no other telemetry', () => {
    // 0.2 s = 20 epochs, 8 checks each: 160 checks, 160 · ACCESSED_BIT_CHECK_S of CPU.
    const exp = experiment(
      socketPlusCxl(1 / 16, 1 / 4),
      singleRegion(1 / 8, { kind: 'uniform' }),
      'first-touch',
      {},
      { durationS: 0.2 },
    )
    let hot = 0
    const { result, log } = runProbe(exp, {}, (ctx) => {
      for (let f = 0; f < 8; f++) if (ctx.checkAccessed(f)) hot++
    })
    expect(result.summary.accessedBitChecks).toBe(160)
    expect(result.summary.policyCpuS).toBeCloseTo(160 * ACCESSED_BIT_CHECK_S, 12)
    // Each frame gets ~840 accesses per 10 ms epoch: its bit is set at every check but the
    // first (epoch 0 has no elapsed time since allocation), so 19 · 8 = 152 are true.
    expect(hot).toBe(152)
    expect(log.hookCalls).toEqual({ samples: 0, cxl: 0, gpu: 0, hintFaults: 0 })
  })
})
