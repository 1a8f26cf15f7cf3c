import { describe, expect, it } from 'vitest'
import {
  cellText,
  columnValue,
  knobsText,
  RUN_COLUMNS,
} from '../../../../renderer/src/features/runs/model/runColumns'
import {
  defaultLayout,
  gridTemplate,
  parseLayout,
  resizeColumn,
  tableWidth,
  toggleColumn,
} from '../../../../renderer/src/features/runs/model/columnLayout'
import { makeRun } from './fakeRunsClient'

describe('run table cells', () => {
  const run = makeRun(3, {
    name: 'kv tiering',
    policyId: 'numa-balancing-tiering',
    createdAt: '2026-03-02T23:59:41.000Z',
    wallMs: 12_345,
    summary: { throughputOpsPerS: 1_234_567, topTierHitRatio: 0.9123 },
  })

  it('show text columns as they sort, and format times, durations and metrics', () => {
    expect(cellText(run, 'name')).toBe('kv tiering')
    expect(cellText(run, 'policy')).toBe('numa-balancing-tiering')
    expect(cellText(run, 'status')).toBe('done')
    expect(cellText(run, 'created')).toBe('2026-03-02 23:59')
    expect(cellText(run, 'duration')).toBe('12.3 s')
    expect(cellText(run, 'throughput')).not.toBe(String(columnValue(run, 'throughput')))
    expect(cellText(run, 'throughput')).toMatch(/^1\.2\d*M$/)
    expect(cellText(run, 'hitRatio')).toMatch(/^0\.91/)
  })

  it('show a dash for what a run does not have yet', () => {
    const queued = makeRun(4, { status: 'queued', wallMs: null, summary: null })
    expect(cellText(queued, 'duration')).toBe('—')
    expect(cellText(queued, 'throughput')).toBe('—')
    expect(cellText(queued, 'hitRatio')).toBe('—')
    for (const c of RUN_COLUMNS) expect(typeof cellText(queued, c)).toBe('string')
  })
})

describe('the knobs column', () => {
  it('shows the swept knob and value of a sweep run by its last path segment', () => {
    expect(knobsText(makeRun(5, { name: 'KV [policy.params.rateLimitMBps=256]' }))).toBe(
      'rateLimitMBps=256',
    )
    expect(
      knobsText(makeRun(6, { name: 'box [topology.components[1].memory.capacityGiB=16]' })),
    ).toBe('capacityGiB=16')
    expect(knobsText(makeRun(7, { name: 'plain run' }))).toBe('')
  })
})

describe('the column layout', () => {
  it('defaults fit the table beside the navigation at 1440 px', () => {
    // 1440 − 170 (navigation) − 40 (padding) = 1230 px for the table.
    expect(tableWidth(defaultLayout())).toBeLessThanOrEqual(1222)
    expect(defaultLayout().shown).toContain('knobs')
  })

  it('keeps a stored layout, dropping unknown columns and clamping widths', () => {
    const l = parseLayout(
      JSON.stringify({ shown: ['name', 'bogus', 'created'], widths: { name: 5, created: 300 } }),
    )
    expect(l.shown).toEqual(['name', 'created'])
    expect(l.widths.name).toBe(48)
    expect(l.widths.created).toBe(300)
    expect(parseLayout('not json')).toEqual(defaultLayout())
  })

  it('toggles columns in table order, never hiding the last one, and resizes', () => {
    let l = parseLayout(JSON.stringify({ shown: ['status'] }))
    expect(toggleColumn(l, 'status').shown).toEqual(['status'])
    l = toggleColumn(l, 'name')
    expect(l.shown).toEqual(['name', 'status'])
    l = resizeColumn(l, 'name', 321.4)
    expect(gridTemplate(l)).toBe(`34px 321px ${l.widths.status}px`)
  })
})
