import { describe, expect, it } from 'vitest'
import {
  AccessHistogram,
  memtisBin,
  MEMTIS_BINS,
} from '../../../../../main/engine/policies/memtis/histogram'
import {
  PEBS_PERIOD_LIST,
  SamplePeriodGovernor,
} from '../../../../../main/engine/policies/memtis/sample-quota'
import { hugePageSkew, skewBin } from '../../../../../main/engine/policies/memtis/split'

describe('Memtis access histogram', () => {
  it('bins counters as get_idx does: floor(log2(count + 1)), at most 15', () => {
    expect([0, 1, 2, 3, 6, 7, 511, 512, 1023].map(memtisBin)).toEqual([0, 1, 1, 2, 2, 3, 9, 9, 10])
    expect(memtisBin(65_535)).toBe(MEMTIS_BINS - 1)
    expect(memtisBin(2 ** 31)).toBe(MEMTIS_BINS - 1)
  })

  it('counts 512 per sample for a 4 KiB page and 1 for a 2 MiB one', () => {
    const base = new AccessHistogram(4, 4096)
    base.add(0)
    expect(base.counts[0]).toBe(512)
    expect(base.bin(0)).toBe(9)
    const huge = new AccessHistogram(4, 2 * 1024 * 1024)
    huge.add(0)
    expect(huge.counts[0]).toBe(1)
  })

  it('keeps the histogram in step and halves every counter when cooling', () => {
    const h = new AccessHistogram(8, 2 * 1024 * 1024)
    for (let i = 0; i < 8; i++) h.add(0) // 8 → bin 3
    for (let i = 0; i < 3; i++) h.add(1) // 3 → bin 2
    h.add(2) // 1 → bin 1
    expect([...h.hist.slice(0, 5)]).toEqual([0, 1, 1, 1, 0])
    h.cool()
    expect([h.counts[0], h.counts[1], h.counts[2]]).toEqual([4, 1, 0])
    expect([...h.hist.slice(0, 5)]).toEqual([0, 1, 1, 0, 0])
    expect([...h.sampledFrames()]).toEqual([0, 1])
  })

  it('puts the threshold one bin above the first bin that no longer fits', () => {
    const h = new AccessHistogram(100, 2 * 1024 * 1024)
    // 10 frames in bin 5 (count 32), 30 in bin 3 (count 8), 60 in bin 1 (count 1).
    for (let f = 0; f < 100; f++) {
      const n = f < 10 ? 32 : f < 40 ? 8 : 1
      for (let i = 0; i < n; i++) h.add(f)
    }
    expect(h.hotThreshold(45, 1)).toEqual({ bin: 2, needWarm: false }) // bins ≥ 3 hold 40 ≤ 45
    expect(h.hotThreshold(20, 1)).toEqual({ bin: 4, needWarm: true }) // only bin 5 fits: 10 < 15
    expect(h.hotThreshold(1000, 1)).toEqual({ bin: 1, needWarm: true }) // all fit: the floor
    expect(h.hotThreshold(5, 1).bin).toBe(6) // not even bin 5 fits
    expect(h.framesAtOrAbove(3)).toBe(40)
  })
})

describe('Memtis sampler quota', () => {
  it('steps the period along the ladder, one step per check, with ±0.5 % slack', () => {
    const g = new SamplePeriodGovernor(199, 0.03, 1)
    expect(g.ladder).toEqual(PEBS_PERIOD_LIST)
    // 10 % of a CPU: over the quota, one step longer per check.
    expect(g.update(1, 0.1)).toBe(293)
    expect(g.update(1.5, 0.2)).toBe(293) // not a check yet
    expect(g.update(2, 0.2)).toBe(401)
    // 3.2 %: within the slack, stays.
    expect(g.update(3, 0.232)).toBe(401)
    // 1 %: under quota − 0.5 %, one step shorter.
    expect(g.update(4, 0.242)).toBe(293)
    expect(g.share).toBeCloseTo(0.01, 9)
  })

  it('smooths the first measurement and is off at quota 0', () => {
    const g = new SamplePeriodGovernor(199, 0.03, 1)
    g.update(1, 0.036) // 3.6 % → smoothed 2.88 %: within the slack
    expect(g.share).toBeCloseTo(0.0288, 9)
    expect(g.period).toBe(199)
    const off = new SamplePeriodGovernor(199, 0, 1)
    expect(off.update(10, 5)).toBe(199)
  })

  it('starts at a configured period and climbs only to longer ones', () => {
    const g = new SamplePeriodGovernor(5000, 0.03, 1)
    expect(g.ladder[0]).toBe(5000)
    expect(g.ladder[1]).toBe(6007)
    expect(g.ladder.at(-1)).toBe(19_997)
  })
})

describe('Memtis huge-page split decision (not wired: the engine has no base-page counts)', () => {
  it('bins skewness as get_skew_idx does', () => {
    expect([0, 1, 3, 4, 1023, 1024, 2048, 1e9].map(skewBin)).toEqual([0, 1, 2, 3, 10, 11, 12, 20])
  })

  it('finds a page whose hotness sits in a few base pages skewed, an even one not', () => {
    const skewed = new Array(512).fill(0)
    skewed[0] = skewed[1] = 512 * 64
    const even = new Array(512).fill(512 * 2)
    expect(hugePageSkew(skewed, 10, 8)).toBeGreaterThan(hugePageSkew(even, 10, 8))
    expect(hugePageSkew(even, 12, 8)).toBe(0) // no hot base page
    expect(hugePageSkew(skewed, 10, 13)).toBe(0) // a very hot huge page is left whole
  })
})
