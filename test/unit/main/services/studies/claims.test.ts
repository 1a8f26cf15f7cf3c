import { describe, expect, it } from 'vitest'
import { evaluateClaim, type StudyRunResult } from '../../../../../main/services/studies'
import { studyClaimSchema, type StudyClaim } from '../../../../../shared/formats'

const run = (throughputOpsPerS: number, hintFaults = 0): StudyRunResult => ({
  summary: { throughputOpsPerS, hintFaults },
  processes: [{ id: 'kv', throughputOpsPerS: throughputOpsPerS / 2, meanLatencyNs: 120 }],
})
const results = new Map([
  ['a', run(105)],
  ['b', run(100, 40)],
])
const claim = (c: Record<string, unknown>): StudyClaim =>
  studyClaimSchema.parse({ metric: 'throughputOpsPerS', a: 'a', b: 'b', ...c })
const holds = (c: Record<string, unknown>) => evaluateClaim(claim(c), results).ok

describe('study claims', () => {
  it('">" and "<" demand their margin of headroom', () => {
    expect(holds({ op: '>', marginPct: 4.9 })).toBe(true)
    expect(holds({ op: '>', marginPct: 5.1 })).toBe(false)
    expect(holds({ op: '<', b: 'a', a: 'b', marginPct: 4.7 })).toBe(true)
    expect(holds({ op: '<', b: 'a', a: 'b', marginPct: 4.8 })).toBe(false)
  })

  it('">=" and "<=" allow their margin the other way', () => {
    expect(holds({ op: '>=', a: 'b', b: 'a', marginPct: 5 })).toBe(true)
    expect(holds({ op: '>=', a: 'b', b: 'a', marginPct: 4 })).toBe(false)
    expect(holds({ op: '<=', marginPct: 5 })).toBe(true)
    expect(holds({ op: '<=', marginPct: 4 })).toBe(false)
  })

  it('"within" is a tie within the margin of the larger value', () => {
    expect(holds({ op: 'within', marginPct: 5 })).toBe(true)
    expect(holds({ op: 'within', marginPct: 4.5 })).toBe(false)
    expect(() => claim({ op: 'within' })).toThrow(/needs a marginPct above 0/)
  })

  it('compares with a number, and reads per-process results', () => {
    expect(holds({ metric: 'hintFaults', op: '<=', b: 0 })).toBe(true)
    expect(holds({ metric: 'hintFaults', a: 'b', op: '<=', b: 0 })).toBe(false)
    expect(holds({ metric: 'process.kv.throughputOpsPerS', op: '>', marginPct: 4 })).toBe(true)
  })

  it('reports the figures, and fails a claim on a metric a run lacks', () => {
    const out = evaluateClaim(claim({ op: '>', marginPct: 3 }), results)
    expect(out.detail).toBe('a 105 > b 100 with a 3 % margin (+5.0 %)')
    expect(out.deltaPct).toBeCloseTo(5)
    const missing = evaluateClaim(claim({ metric: 'promotions', op: '>' }), results)
    expect(missing).toMatchObject({ ok: false, detail: 'a has no value for promotions' })
  })
})
