import { describe, expect, it } from 'vitest'
import {
  DEFAULT_MIGRATION_COST,
  LruAging,
  migrationCost,
  migrationCpuNsPerFrame,
  migrationNsPerFrame,
  migrationThroughputGBps,
} from '../../../../../main/engine/kernel'

describe('migration cost', () => {
  it('charges ≈1.1 µs per 4 KiB page and ≈197 µs per 2 MiB page', () => {
    // 4096 B / 3.73 B/ns = 1098.1 ns; 2097152 B / 10.67 B/ns = 196546.4 ns.
    expect(migrationCpuNsPerFrame(4096)).toBeCloseTo(4096 / 3.73, 6)
    expect(migrationCpuNsPerFrame(2 * 2 ** 20)).toBeCloseTo(2097152 / 10.67, 3)
    // 64 KiB: log2(16)/log2(512) = 4/9 of the way: 3.73 + 4/9 × 6.94 = 6.8144 GB/s.
    expect(migrationThroughputGBps(65536)).toBeCloseTo(3.73 + (4 / 9) * 6.94, 10)
  })

  it('counts bytes and 512-folio batches', () => {
    expect(migrationCost(1000, 4096)).toEqual({
      cpuNs: 1000 * (4096 / 3.73),
      bytes: 4_096_000,
      batches: 2,
    })
    expect(migrationCost(512, 4096).batches).toBe(1)
    expect(migrationCost(513, 4096).batches).toBe(2)
    expect(migrationCost(0, 4096)).toEqual({ cpuNs: 0, bytes: 0, batches: 0 })
  })
})

describe('LruAging', () => {
  it('ages unaccessed frames, rejuvenates accessed ones, and returns the oldest first', () => {
    const lru = new LruAging(10)
    let accessed = new Set([0, 1, 2])
    const first = lru.findCold({
      want: 3,
      maxChecks: 10,
      isCandidate: () => true,
      wasAccessed: (f) => accessed.has(f),
    })
    // Frames 3..9 reach age 1; all tie, so clock order.
    expect(first).toEqual({ frames: [3, 4, 5], checked: 10 })
    accessed = new Set([3])
    const second = lru.findCold({
      want: 3,
      maxChecks: 10,
      isCandidate: () => true,
      wasAccessed: (f) => accessed.has(f),
    })
    // Now 4..9 are at age 2 (oldest), 0..2 at age 1, 3 back at 0.
    expect(second.frames).toEqual([4, 5, 6])
    expect(Array.from(lru.ages)).toEqual([1, 1, 1, 0, 2, 2, 2, 2, 2, 2])
  })

  it('does O(checked) work: stops at maxChecks and skips non-candidates without a check', () => {
    const lru = new LruAging(100)
    const seen: number[] = []
    const scan = lru.findCold({
      want: 100,
      maxChecks: 4,
      isCandidate: (f) => f % 2 === 0,
      wasAccessed: (f) => {
        seen.push(f)
        return false
      },
    })
    expect(seen).toEqual([0, 2, 4, 6])
    expect(scan.checked).toBe(4)
    // The clock continues where it stopped.
    const next = lru.findCold({
      want: 1,
      maxChecks: 1,
      isCandidate: (f) => f % 2 === 0,
      wasAccessed: () => false,
    })
    expect(next.frames).toEqual([8])
    lru.reset(8)
    expect(lru.ages[8]).toBe(0)
  })

  it('saturates ages at 255', () => {
    const lru = new LruAging(1)
    for (let i = 0; i < 300; i++) lru.check(0, false)
    expect(lru.ages[0]).toBe(255)
  })
})

describe('migration cost per frame by batch (tiering-facts §7)', () => {
  it('follows the measured single and batched figures at 4 KiB and 2 MiB', () => {
    const t = DEFAULT_MIGRATION_COST
    // Batched: the move_pages throughput [MIGOFF].
    expect(migrationNsPerFrame(t, 4096, 512)).toBeCloseTo(4096 / 3.73, 6)
    expect(migrationNsPerFrame(t, 2097152, 512)).toBeCloseTo(2097152 / 10.67, 3)
    // Single: the copy (35 % / 97 % of a batched move) is < 1 % / 66 % of a single one.
    expect(migrationNsPerFrame(t, 4096, 1)).toBeCloseTo((0.35 * 4096) / 3.73 / 0.01, 3)
    expect(migrationNsPerFrame(t, 2097152, 1)).toBeCloseTo((0.97 * 2097152) / 10.67 / 0.66, 3)
    // Between: the per-call part is shared by the batch, so cost falls with batch size.
    const b = [1, 2, 8, 64, 512].map((n) => migrationNsPerFrame(t, 4096, n))
    for (let i = 1; i < b.length; i++) expect(b[i]).toBeLessThan(b[i - 1])
    expect(migrationNsPerFrame(t, 4096, 4096)).toBe(b[4])
  })
})
