import { describe, expect, it } from 'vitest'
import {
  cellText,
  columnValue,
  RUN_COLUMNS,
} from '../../../../renderer/src/features/runs/model/runColumns'
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
