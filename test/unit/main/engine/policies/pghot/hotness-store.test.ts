import { describe, expect, it } from 'vitest'
import {
  COMPACT_SPAN_MS,
  HotnessStore,
} from '../../../../../../main/engine/policies/pghot/hotness-store'

describe('pghot hotness store', () => {
  it('costs 1 byte per frame in compact mode and 4 in precise mode', () => {
    expect(new HotnessStore('compact', 1000, 2, 3000).bytes).toBe(1000)
    expect(new HotnessStore('precise', 1000, 2, 3000).bytes).toBe(4000)
  })

  it('becomes ready at the threshold within the window and starts over after it', () => {
    const s = new HotnessStore('compact', 4, 2, 1000)
    expect(s.record(0, -1, 0)).toBe(false)
    expect(s.record(0, -1, 500)).toBe(true)
    expect(s.ready(0)).toBe(true)
    // Accesses further apart than the window count from 1 again.
    expect(s.record(1, -1, 0)).toBe(false)
    expect(s.record(1, -1, 1500)).toBe(false)
    expect(s.freq(1)).toBe(1)
    // The 2-bit frequency saturates at 3.
    for (let t = 0; t < 5; t++) s.record(2, -1, t * 10)
    expect(s.freq(2)).toBe(3)
  })

  it('compact records alias after ~4 s (a 5-bit bucket of 128 ms) where precise ones do not', () => {
    const compact = new HotnessStore('compact', 1, 2, 3000)
    const precise = new HotnessStore('precise', 1, 2, 3000)
    compact.record(0, -1, 100)
    precise.record(0, -1, 100)
    // One full bucket cycle later the compact record looks fresh: the counts add up.
    expect(compact.record(0, -1, 100 + COMPACT_SPAN_MS)).toBe(true)
    expect(precise.record(0, -1, 100 + COMPACT_SPAN_MS)).toBe(false)
  })

  it('keeps the accessing node only in precise mode, and keeps it across node-less records', () => {
    const compact = new HotnessStore('compact', 1, 2, 3000)
    const precise = new HotnessStore('precise', 1, 2, 3000)
    compact.record(0, 1, 0)
    precise.record(0, 1, 0)
    expect(compact.node(0)).toBe(-1)
    expect(precise.node(0)).toBe(1)
    precise.record(0, -1, 10)
    expect(precise.node(0)).toBe(1)
    precise.reset(0)
    expect(precise.node(0)).toBe(-1)
    expect(precise.ready(0)).toBe(false)
  })
})
