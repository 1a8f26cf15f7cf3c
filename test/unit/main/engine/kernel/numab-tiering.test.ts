import { describe, expect, it } from 'vitest'
import { freeSpaceEnough, TieringPromotionGate } from '../../../../../main/engine/kernel'

const GiB = 2 ** 30
const MiB = 2 ** 20
const PAGE = 4096

/** A request on a full target (no fast path) with the given latency. */
function fault(nowMs: number, latencyMs: number, folioBytes = PAGE) {
  return {
    nowMs,
    scanTimeMs: nowMs - latencyMs,
    folioBytes,
    targetFreeBytes: 0,
    targetPromoWmarkBytes: 100 * MiB,
    targetPresentBytes: 64 * GiB,
  }
}

describe('freeSpaceEnough', () => {
  it('needs more than WMARK_PROMO + max(1 GiB, present/16) free', () => {
    // 64 GiB present: max(1 GiB, 4 GiB) = 4 GiB; mark = 4 GiB + 100 MiB.
    expect(freeSpaceEnough(4 * GiB + 100 * MiB, 100 * MiB, 64 * GiB)).toBe(false)
    expect(freeSpaceEnough(4 * GiB + 100 * MiB + PAGE, 100 * MiB, 64 * GiB)).toBe(true)
    // 8 GiB present: max(1 GiB, 0.5 GiB) = 1 GiB.
    expect(freeSpaceEnough(GiB + 100 * MiB + PAGE, 100 * MiB, 8 * GiB)).toBe(true)
  })
})

describe('TieringPromotionGate', () => {
  it('promotes everything while the target has room, and resets the threshold', () => {
    const g = new TieringPromotionGate()
    const req = { ...fault(10, 50_000), targetFreeBytes: 10 * GiB }
    expect(g.decide(req)).toBe('promote-free-space')
    expect(g.candidates.freeSpacePages).toBe(1)
    expect(g.thresholdMs).toBe(1000)
  })

  it('resets a lowered threshold to hot_threshold when a fault finds the target with room', () => {
    // A busy period lowers the threshold one unit: 1000 − 125 = 875 ms (see the auto-adjust test).
    const g = new TieringPromotionGate({ rateLimitMBps: 1 })
    for (let i = 0; i < 17_000; i++) g.decide(fault(1 + (i % 1000), 1))
    g.adjustThreshold(60_001)
    expect(g.thresholdMs).toBe(875)
    // A fault with 900 ms latency is cold at 875 ms…
    expect(g.decide(fault(60_002, 900))).toBe('reject-cold')
    // …then one fault while the target has room resets nbp_threshold to 0, i.e. hot_threshold
    // ("The workload changed: reset the hot threshold" [FAIR]).
    expect(g.decide({ ...fault(60_003, 50_000), targetFreeBytes: 10 * GiB })).toBe(
      'promote-free-space',
    )
    expect(g.thresholdMs).toBe(1000)
    // The same 900 ms fault on a full target is now hot (no adjustment is due before 120 001).
    expect(g.decide(fault(60_004, 900))).toBe('promote-hot')
  })

  it('rejects pages whose hint-fault latency reaches the threshold', () => {
    const g = new TieringPromotionGate()
    expect(g.decide(fault(5000, 999))).toBe('promote-hot')
    expect(g.decide(fault(5000, 1000))).toBe('reject-cold')
    // Cold rejections are not promotion candidates.
    expect(g.candidates.rateLimitedPages).toBe(1)
  })

  it('rate-limits candidates per target node over 1 s windows', () => {
    // 1 MB/s = 256 pages of 4 KiB per window.
    const g = new TieringPromotionGate({ rateLimitMBps: 1 })
    expect(g.rateLimitPages).toBe(256)
    const verdicts = Array.from({ length: 256 }, () => g.decide(fault(500, 10)))
    expect(verdicts.slice(0, 255).every((v) => v === 'promote-hot')).toBe(true)
    // The 256th page makes the window's count reach the limit.
    expect(verdicts[255]).toBe('reject-rate-limited')
    // More than 1 s after the window opened (at 0), a new window starts.
    expect(g.decide(fault(1001, 10))).toBe('promote-hot')
    // A 2 MiB folio counts 512 pages: over the limit at once.
    expect(g.decide(fault(1002, 10, 2 * MiB))).toBe('reject-rate-limited')
  })

  it('auto-adjusts the threshold every 60 s by 125 ms steps within [125, 2000]', () => {
    // rate limit 1 MB/s → 256 pages/s; ref = 256 × 60 = 15360 candidates per period.
    // unit = 2 × 1000 / 16 = 125 ms.
    const g = new TieringPromotionGate({ rateLimitMBps: 1 })
    // Quiet first period (0 < 0.9 × ref): 1000 → 1125 at the first fault after 60 s.
    g.decide(fault(60_001, 5000))
    expect(g.thresholdMs).toBe(1125)
    // Busy period: 17000 candidates > 1.1 × 15360 = 16896 → 1125 − 125 = 1000.
    for (let i = 0; i < 17_000; i++) g.decide(fault(61_000 + i, 1))
    g.decide(fault(120_003, 5000))
    expect(g.thresholdMs).toBe(1000)
    // Between 90 % and 110 % (15360 candidates): unchanged.
    for (let i = 0; i < 15_360; i++) g.decide(fault(121_000 + i, 1))
    g.decide(fault(180_004, 5000))
    expect(g.thresholdMs).toBe(1000)
    // Quiet periods raise it to at most 2 × 1000.
    let t = 180_004
    for (let k = 0; k < 12; k++) {
      t += 60_001
      g.adjustThreshold(t)
    }
    expect(g.thresholdMs).toBe(2000)
    // The adjustment only happens once a period has passed.
    const h = new TieringPromotionGate()
    h.adjustThreshold(60_000)
    expect(h.thresholdMs).toBe(1000)
  })

  it('never lowers the threshold below one unit', () => {
    const g = new TieringPromotionGate({ rateLimitMBps: 1 })
    let t = 0
    for (let k = 0; k < 10; k++) {
      for (let i = 0; i < 17_000; i++) g.decide(fault(t + 1 + (i % 1000), 1))
      t += 60_001
      g.adjustThreshold(t)
    }
    // 1000 − 7 × 125 = 125, then it stays at 125.
    expect(g.thresholdMs).toBe(125)
  })

  it('bounds every threshold a later fault can meet (maxThresholdMs)', () => {
    // Starved of candidates the threshold climbs one unit per 60 s window up to 2000 ms; the
    // bound taken at time 0 must cover the threshold in force at every later fault.
    const g = new TieringPromotionGate()
    expect(g.maxThresholdMs(0, 0)).toBe(1000)
    expect(g.maxThresholdMs(0, 60_000)).toBe(1000)
    const bounds = [60_001, 120_001, 400_000].map((t) => g.maxThresholdMs(0, t))
    expect(bounds).toEqual([1125, 1250, 1750])
    expect(g.maxThresholdMs(0, 10_000_000)).toBe(2000)
    const atStart = new TieringPromotionGate()
    for (let t = 1; t <= 600_000; t += 997) {
      g.decide(fault(t, 5000))
      expect(g.thresholdMs).toBeLessThanOrEqual(atStart.maxThresholdMs(0, t))
      // And from any later moment, with what the gate knows then.
      expect(g.thresholdMs).toBeLessThanOrEqual(g.maxThresholdMs(t, t))
    }
    expect(g.thresholdMs).toBe(2000)
    // Seen from later, a gate no fault reached can adjust once at its first fault, not once per
    // period since time 0.
    expect(new TieringPromotionGate().maxThresholdMs(300_000, 300_001)).toBe(1125)
    expect(new TieringPromotionGate().maxThresholdMs(300_000, 360_001)).toBe(1250)
    // A lowered threshold still bounds at hot_threshold: a free-space reset returns to it.
    const low = new TieringPromotionGate({ rateLimitMBps: 1 })
    for (let i = 0; i < 17_000; i++) low.decide(fault(1 + (i % 1000), 1))
    low.adjustThreshold(60_001)
    expect(low.thresholdMs).toBe(875)
    expect(low.maxThresholdMs(60_002, 60_002)).toBe(1000)
    expect(low.nextAdjustMs(60_002)).toBe(120_001)
    // Without auto-adjust (scan_period_max = Infinity) it never moves.
    expect(new TieringPromotionGate({ scanPeriodMaxMs: Infinity }).maxThresholdMs(0, 1e9)).toBe(
      1000,
    )
  })
})
