import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { definePolicy, runSimulation, type AccessedBitScan } from '../../../../../main/engine'
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

describe('the PTE accessed-bit scanner (MGLRU / kscand-like)', () => {
  it('checks up to framesPerScan of a node per period, reports the referenced ones, and is charged', () => {
    // A hot set of 10 % of 64 MiB (4 KiB frames) on DRAM, the rest cold; scans every 50 ms.
    const exp = experiment(
      socketPlusCxl(1 / 8, 1 / 4),
      singleRegion(1 / 16, { kind: 'hotset', hotFraction: 0.1, hotProbability: 1 }),
      'x',
      {},
      { durationS: 0.5, pageBytes: 4096 },
    )
    const scans: Array<AccessedBitScan & { epoch: number }> = []
    const def = definePolicy({
      id: 'pte-a',
      name: 'PTE-A scanner probe',
      description: 'tests only',
      knobs: z.strictObject({}),
      subscriptions: () => ({ accessedBits: { periodMs: 50, framesPerScan: 4096, nodes: 'all' } }),
      reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
      create: (_k, ctx) => ({
        onAccessedBits: (scan) =>
          scans.push({ ...scan, accessed: [...scan.accessed], epoch: ctx.epoch }),
      }),
    })
    const r = runSimulation({ ...exp, policy: { id: def.id, params: {} } }, def)
    // Ten periods in 0.5 s, one node in use (DRAM), 4096 frames each: 16 Ki frames in 4 rounds.
    expect(scans.map((s) => s.epoch)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45])
    for (const s of scans) expect([s.node, s.checked]).toEqual([0, 4096])
    expect(r.summary.accessedBitChecks).toBe(10 * 4096)
    expect(r.summary.policyCpuS).toBeCloseTo(10 * 4096 * ACCESSED_BIT_CHECK_S, 12)
    // After the first round, the referenced frames are the hot set's (ranks < 10 %): about 1638
    // hot frames in all, none cold (hotProbability 1).
    const later = scans.slice(4).flatMap((s) => s.accessed)
    const hot = new Set(later)
    expect(hot.size).toBeGreaterThan(1500)
    expect(hot.size).toBeLessThanOrEqual(1639)
  })
})
