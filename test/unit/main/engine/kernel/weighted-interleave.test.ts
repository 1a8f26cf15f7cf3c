import { describe, expect, it } from 'vitest'
import {
  autoInterleaveWeights,
  checkManualWeights,
  interleaveNodeFor,
  WeightedInterleaver,
} from '../../../../../main/engine/kernel'

const bw = (gbps: number, writeGbps = gbps) => ({
  readMBps: gbps * 1000,
  writeMBps: writeGbps * 1000,
})

describe('autoInterleaveWeights', () => {
  it('gives 26:5 for DRAM 300 GB/s and CXL 60 GB/s', () => {
    // floor(32 × 300000/360000) = floor(26.67) = 26; floor(32 × 60000/360000) = floor(5.33) = 5.
    expect(autoInterleaveWeights([bw(300), bw(60)])).toEqual([26, 5])
  })

  it('uses min(read, write), divides by the GCD and floors tiny nodes at 1', () => {
    // Equal nodes: 16:16 → 1:1. Write bandwidth 100 makes the first node equal to the second.
    expect(autoInterleaveWeights([bw(100), bw(100)])).toEqual([1, 1])
    expect(autoInterleaveWeights([bw(300, 100), bw(100)])).toEqual([1, 1])
    // 300/60/60: floor(32·300/420) = 22, floor(32·60/420) = 4 → GCD 2 → 11:2:2.
    expect(autoInterleaveWeights([bw(300), bw(60), bw(60)])).toEqual([11, 2, 2])
    // 1000 GB/s and 1 MB/s: floor(32e6/1000001) = 31; 32 × 1 ≤ sum → 1.
    expect(autoInterleaveWeights([bw(1000), { readMBps: 1, writeMBps: 1 }])).toEqual([31, 1])
    expect(autoInterleaveWeights([bw(100), { readMBps: 0, writeMBps: 0 }])).toEqual([32, 1])
  })
})

describe('page choice', () => {
  it('walks ilx mod Σw over the weights', () => {
    const w = [26, 5]
    expect(interleaveNodeFor(w, 0)).toBe(0)
    expect(interleaveNodeFor(w, 25)).toBe(0)
    expect(interleaveNodeFor(w, 26)).toBe(1)
    expect(interleaveNodeFor(w, 30)).toBe(1)
    expect(interleaveNodeFor(w, 31)).toBe(0)
    // Over 31 × 100 consecutive pages the split is exactly 2600:500.
    let toFirst = 0
    for (let i = 0; i < 3100; i++) if (interleaveNodeFor(w, i) === 0) toFirst++
    expect(toFirst).toBe(2600)
  })

  it('task-based interleave hands out weight units in turn', () => {
    const it2 = new WeightedInterleaver([2, 1])
    expect(Array.from({ length: 6 }, () => it2.next())).toEqual([0, 0, 1, 0, 0, 1])
    expect(() => checkManualWeights([0, 3])).toThrow(/1 to 255/)
    expect(() => checkManualWeights([256])).toThrow(/1 to 255/)
  })
})
