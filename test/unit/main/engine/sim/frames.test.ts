import { describe, expect, it } from 'vitest'
import {
  bumpSeq,
  F_ACCESSED,
  F_HOT,
  F_PROT_NONE,
  F_SUMMARY,
  NODE_MASK,
  NODE_SHIFT,
  PREV_MASK,
  PREV_SHIFT,
  SEQ_MASK,
  SEQ_RANGE,
  SEQ_SHIFT,
} from '../../../../../main/engine/sim/frames'

describe('the packed frame state word', () => {
  it('keeps flags, sequence, previous node and node in separate bits', () => {
    const flags = F_HOT | F_PROT_NONE | F_ACCESSED | F_SUMMARY
    const fields = [flags, SEQ_MASK, PREV_MASK, NODE_MASK >>> 0]
    for (let i = 0; i < fields.length; i++)
      for (let j = i + 1; j < fields.length; j++) expect(fields[i] & fields[j]).toBe(0)
    expect(fields.reduce((a, b) => a | b, 0) >>> 0).toBe(0xffffffff)
  })

  it('bumps the fault sequence alone, and only wraps after SEQ_RANGE changes', () => {
    const s0 = ((7 << NODE_SHIFT) | (3 << PREV_SHIFT) | F_PROT_NONE | F_HOT) >>> 0
    const seq = (s: number) => (s & SEQ_MASK) >>> SEQ_SHIFT
    let s = s0
    const seen = new Set<number>()
    for (let i = 0; i < SEQ_RANGE; i++) {
      seen.add(seq(s))
      s = bumpSeq(s) >>> 0
      expect(s & ~SEQ_MASK).toBe(s0 & ~SEQ_MASK)
    }
    // Every value once, then back where it started: a stale event needs 4096 changes to match.
    expect(seen.size).toBe(SEQ_RANGE)
    expect(SEQ_RANGE).toBeGreaterThanOrEqual(4096)
    expect(s).toBe(s0)
  })
})
