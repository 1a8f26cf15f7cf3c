import { describe, expect, it } from 'vitest'
import {
  nextScanPeriodMs,
  scanPassBytes,
  scanWindows,
  taskScanMaxMs,
  taskScanMinMs,
  taskScanStartMs,
} from '../../../../../main/engine/kernel'

const GiB = 2 ** 30
const MiB = 2 ** 20
const none = {
  localFaults: 0,
  remoteFaults: 0,
  privateFaults: 0,
  sharedFaults: 0,
  failedMigrations: 0,
}

describe('scan windows and period bounds', () => {
  it('for a 16 GiB RSS: 64 windows, min 100 ms, max 937 ms', () => {
    // nr_windows = 16384 MiB / 256 MiB = 64.
    expect(scanWindows(16 * GiB)).toBe(64)
    // min = max(1000 / (2560/256) = 100, 1000/64 = 15) = 100.
    expect(taskScanMinMs(16 * GiB)).toBe(100)
    // max = max(100, floor(60000/64) = 937) = 937.
    expect(taskScanMaxMs(16 * GiB)).toBe(937)
    expect(taskScanStartMs(16 * GiB)).toBe(100)
  })

  it('for small or empty RSS: one window, [1000, 60000] ms', () => {
    expect(scanWindows(0)).toBe(1)
    expect(scanWindows(100 * MiB)).toBe(1)
    // 257 MiB rounds up to 2 windows.
    expect(scanWindows(257 * MiB)).toBe(2)
    expect(taskScanMinMs(100 * MiB)).toBe(1000)
    expect(taskScanMaxMs(100 * MiB)).toBe(60000)
  })

  it('follows a smaller scan size', () => {
    // scan_size 64: floor = 1000/(2560/64 = 40) = 25; 1 GiB → 16 windows; 1000/16 = 62.
    expect(taskScanMinMs(GiB, { scanSizeMB: 64 })).toBe(62)
    expect(scanPassBytes()).toEqual({ protectBytes: 256 * MiB, maxVirtualBytes: 2048 * MiB })
  })
})

describe('nextScanPeriodMs', () => {
  const small = { periodMs: 1000, rssBytes: 100 * MiB } // bounds [1000, 60000]

  it('doubles without faults or after a failed migration, capped at the max', () => {
    expect(nextScanPeriodMs(small, none)).toBe(2000)
    expect(nextScanPeriodMs({ ...small, periodMs: 40000 }, none)).toBe(60000)
    expect(
      nextScanPeriodMs(small, { ...none, localFaults: 10, privateFaults: 10, failedMigrations: 1 }),
    ).toBe(2000)
    // 16 GiB task: max is 937.
    expect(nextScanPeriodMs({ periodMs: 937, rssBytes: 16 * GiB }, none)).toBe(937)
  })

  it('slows down by slots when most faults are private or local', () => {
    // ps = 8·10/10 = 8 ≥ 7: slot 1 × ceil(1000/10) = +100.
    const f = {
      localFaults: 9,
      remoteFaults: 1,
      privateFaults: 8,
      sharedFaults: 2,
      failedMigrations: 0,
    }
    expect(nextScanPeriodMs(small, f)).toBe(1100)
    // ps = 7 exactly: slot 0 counts as 1 → +100.
    expect(nextScanPeriodMs(small, { ...f, privateFaults: 7, sharedFaults: 3 })).toBe(1100)
    // ps = 2, lr = 9: slot 9 − 7 = 2 → +200.
    expect(nextScanPeriodMs(small, { ...f, privateFaults: 2, sharedFaults: 8 })).toBe(1200)
  })

  it('speeds up when faults are neither private nor local enough, clamped at the min', () => {
    // ps = 5, lr = 3: diff = −(7 − 5) × ceil(2000/10) = −400.
    const f = {
      localFaults: 3,
      remoteFaults: 7,
      privateFaults: 5,
      sharedFaults: 5,
      failedMigrations: 0,
    }
    expect(nextScanPeriodMs({ ...small, periodMs: 2000 }, f)).toBe(1600)
    // From 1000: 1000 − 200 = 800 → clamped to the 1000 ms minimum.
    expect(nextScanPeriodMs(small, f)).toBe(1000)
  })
})
