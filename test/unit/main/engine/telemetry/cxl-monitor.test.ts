import { describe, expect, it } from 'vitest'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'
import { runProbe } from './probe'

describe('CXL hotness monitor', () => {
  it('reports only CXL frames at or above the threshold, at most maxRecords per epoch', () => {
    // 64 frames, 31 on DRAM (node 0) and 33 on CXL (node 1). Uniform at ~5.37e6 accesses/s:
    // each frame gets 5.37e6 · 0.01 s / 64 = 840 accesses per epoch, far above a threshold of
    // 100, so every CXL frame qualifies and the bound of 4 must cut each epoch's list to 4.
    const exp = experiment(
      socketPlusCxl(1 / 16, 1 / 4),
      singleRegion(1 / 8, { kind: 'uniform' }),
      'first-touch',
      {},
      { durationS: 0.2 },
    )
    const { result, log } = runProbe(exp, { cxlMonitor: { threshold: 100, maxRecords: 4 } })
    expect(log.cxl.length).toBe(20)
    for (const e of log.cxl) {
      expect(e.node).toBe(1)
      expect(e.records.length).toBe(4)
      expect(e.frameNodes).toEqual([1, 1, 1, 1])
      for (const r of e.records) expect(r.count).toBeGreaterThanOrEqual(100)
    }
    expect(log.hookCalls.samples + log.hookCalls.gpu).toBe(0)
    expect(result.summary.samples).toBe(0)
  })
})
