import { describe, expect, it } from 'vitest'
import { csvField, toCsv } from '../../../../renderer/src/lib/csv'
import { runsSummaryCsv } from '../../../../renderer/src/features/runs/model/summaryCsv'
import { parseTags } from '../../../../renderer/src/features/runs/model/tags'
import { progressFromEvent } from '../../../../renderer/src/features/runs/model/progress'
import { makeRun } from './fakeRunsClient'

describe('CSV', () => {
  it('quotes fields with commas, quotes or line breaks and blanks missing numbers', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField(null)).toBe('')
    expect(csvField(Number.NaN)).toBe('')
    expect(
      toCsv([
        ['a', 1],
        ['b', 2.5],
      ]),
    ).toBe('a,1\r\nb,2.5\r\n')
  })

  it('writes one row per run with the union of summary keys, sorted', () => {
    const csv = runsSummaryCsv([
      makeRun(1, {
        name: 'x, y',
        tags: ['a', 'b c'],
        wallMs: 1500,
        summary: { zeta: 1, alpha: 2 },
      }),
      makeRun(2, { summary: { alpha: 3 }, wallMs: null }),
    ])
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'id,name,status,policy,topology,workload,seed,createdAt,wallS,tags,alpha,zeta',
    )
    // 1500 ms → 1.5 s; run 2 has no zeta and no wall time → blanks.
    expect(lines[1]).toBe(
      '1,"x, y",done,first-touch,2S + CXL,kv-store,1,2026-01-01T10:00:00.000Z,1.5,a; b c,2,1',
    )
    expect(lines[2]).toBe(
      '2,run 2,done,first-touch,2S + CXL,kv-store,1,2026-01-02T10:00:00.000Z,,,3,',
    )
    expect(lines).toHaveLength(3)
  })
})

describe('parseTags', () => {
  it('splits on commas, trims, drops empties and repeats, and keeps spaces inside a tag', () => {
    expect(parseTags(' nightly, cxl ,, nightly,slow run ')).toEqual(['nightly', 'cxl', 'slow run'])
    expect(parseTags('  ')).toEqual([])
  })
})

describe('progressFromEvent', () => {
  it('is simulated over total time, clamped to 0..1', () => {
    const base = { type: 'run-progress' as const, runId: 1, epoch: 0, etaS: 3 }
    // 1.5 s of 6 s → 0.25.
    expect(progressFromEvent({ ...base, simulatedS: 1.5, durationS: 6 }).fraction).toBe(0.25)
    expect(progressFromEvent({ ...base, simulatedS: 7, durationS: 6 }).fraction).toBe(1)
    expect(progressFromEvent({ ...base, simulatedS: 0, durationS: 0 }).fraction).toBe(1)
  })
})
