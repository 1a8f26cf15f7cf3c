import { describe, expect, it } from 'vitest'
import type { ApiEvent } from '../../../../shared/api/contract'
import type { RunRecord } from '../../../../shared/runs'
import { makeRun } from '../runs/fakeRunsClient'
import {
  applyEvent,
  createQueueState,
  FINISHED_KEPT,
  formatEta,
  isPreparing,
  progressOf,
  queueRows,
  upsertRecord,
} from '../../../../renderer/src/features/queue/model/queueState'
import {
  createSeriesBuffer,
  pushSample,
} from '../../../../renderer/src/features/queue/model/seriesBuffer'
import {
  LIVE_CHARTS,
  liveChartOption,
} from '../../../../renderer/src/features/queue/model/liveChartOptions'
import { createFrameScheduler } from '../../../../renderer/src/features/queue/model/frameScheduler'

const record = (id: number, status: RunRecord['status'] = 'queued'): RunRecord =>
  makeRun(id, {
    status,
    topologyName: 'T',
    workloadName: 'W',
    engineVersion: 'test',
    createdAt: '',
    wallMs: null,
    summary: null,
  })

const progress = (runId: number, simulatedS: number, live?: Record<string, number>): ApiEvent => ({
  type: 'run-progress',
  runId,
  epoch: simulatedS * 100,
  simulatedS,
  durationS: 10,
  etaS: 20 - simulatedS,
  live,
})

describe('queue state from events', () => {
  it('moves a queued run to running on progress and to done on its status', () => {
    const s = createQueueState()
    upsertRecord(s, record(1))
    upsertRecord(s, record(2))
    expect(applyEvent(s, progress(1, 2.5))).toBeNull()
    const run = s.runs.get(1)!
    expect(run.status).toBe('running')
    // 2.5 s of 10 s simulated.
    expect(progressOf(run)).toBe(0.25)
    expect(run.etaS).toBe(17.5)
    expect(queueRows(s).map((r) => [r.id, r.status])).toEqual([
      [1, 'running'],
      [2, 'queued'],
    ])
    applyEvent(s, { type: 'run-status', runId: 1, status: 'done' })
    expect(progressOf(s.runs.get(1)!)).toBe(1)
    expect(s.runs.get(1)!.etaS).toBeNull()
    // Active runs first, then finished ones.
    expect(queueRows(s).map((r) => [r.id, r.status])).toEqual([
      [2, 'queued'],
      [1, 'done'],
    ])
  })

  it('reports a run it did not know so its record can be fetched', () => {
    const s = createQueueState()
    expect(applyEvent(s, progress(7, 1))).toBe(7)
    expect(s.runs.get(7)!.status).toBe('running')
    // The record arrives later and keeps the progress already seen.
    upsertRecord(s, { ...record(7), status: 'running', name: 'from the CLI' })
    expect(s.runs.get(7)!).toMatchObject({ name: 'from the CLI', simulatedS: 1 })
    expect(applyEvent(s, { type: 'changed', what: 'runs' })).toBeNull()
  })

  it('keeps only the newest finished runs', () => {
    const s = createQueueState()
    const n = FINISHED_KEPT + 5
    for (let id = 1; id <= n; id++) {
      upsertRecord(s, record(id))
      applyEvent(s, { type: 'run-status', runId: id, status: 'cancelled' })
    }
    expect(s.runs.size).toBe(FINISHED_KEPT)
    // Runs 1..5 were dropped; the newest finished is listed first.
    expect(queueRows(s)[0].id).toBe(n)
    expect(s.runs.has(5)).toBe(false)
    expect(s.runs.has(6)).toBe(true)
  })

  it('formats the ETA for a glance', () => {
    expect(formatEta(null)).toBe('—')
    expect(formatEta(42.4)).toBe('42 s')
    // 200 s = 3 min 20 s; 3900 s = 1 h 05 min.
    expect(formatEta(200)).toBe('3 min 20 s')
    expect(formatEta(3900)).toBe('1 h 05 min')
  })
})

describe('bounded live series', () => {
  it('halves itself when full and keeps evenly spaced points', () => {
    const buf = createSeriesBuffer(4, ['v'])
    for (let i = 0; i < 10; i++) pushSample(buf, i, { v: i * 10 })
    // 0..3 fill it; at 4 it halves to [0, 2] and keeps every 2nd: 4, 6; at 8 it halves to
    // [0, 4] and keeps every 4th: 8. Point 9 is skipped.
    expect(buf.t).toEqual([0, 4, 8])
    expect(buf.values.v).toEqual([0, 40, 80])
    expect(buf.stride).toBe(4)
  })

  it('never holds more than its capacity', () => {
    const buf = createSeriesBuffer(600, ['v'])
    for (let i = 0; i < 100_000; i++) pushSample(buf, i, { v: 1 })
    expect(buf.t.length).toBeLessThanOrEqual(600)
    expect(buf.t.length).toBeGreaterThan(300)
  })

  it('stores a missing value as a gap and charts it as null', () => {
    const s = createQueueState()
    upsertRecord(s, record(1))
    applyEvent(s, progress(1, 1, { throughputOpsPerS: 2_000_000, promotedBytesPerS: 5e6 }))
    applyEvent(s, progress(1, 2, { throughputOpsPerS: 3_000_000 }))
    const buf = s.runs.get(1)!.series
    const throughput = liveChartOption(LIVE_CHARTS[0], buf)
    // 2e6 ops/s = 2 Mops/s.
    expect(throughput.series[0].data).toEqual([
      [1, 2],
      [2, 3],
    ])
    const migrations = liveChartOption(LIVE_CHARTS[3], buf)
    // 5e6 B/s = 5 MB/s; the second sample has no promoted bytes.
    expect(migrations.series[0].data).toEqual([
      [1, 5],
      [2, null],
    ])
  })
})

describe('frame scheduler', () => {
  it('runs the work once per frame however often it is requested', () => {
    const frames: Array<() => void> = []
    let runs = 0
    const s = createFrameScheduler(
      () => runs++,
      (cb) => frames.push(cb),
    )
    for (let i = 0; i < 50; i++) s.request()
    expect(frames).toHaveLength(1)
    frames.shift()!()
    expect(runs).toBe(1)
    s.request()
    expect(frames).toHaveLength(1)
  })
})

describe('remote runs', () => {
  it('keeps the queue a run was submitted to, and none for local runs', () => {
    const state = createQueueState()
    upsertRecord(state, makeRun(1, { status: 'queued', queueUrl: 'redis://lab:6379' }))
    upsertRecord(state, makeRun(2, { status: 'running' }))
    const rows = queueRows(state)
    expect(rows.find((r) => r.id === 1)?.queueUrl).toBe('redis://lab:6379')
    expect(rows.find((r) => r.id === 2)?.queueUrl).toBeNull()
  })
})

describe('a run being set up', () => {
  it('is "preparing" while running without simulated time, not stuck at 0 %', () => {
    expect(isPreparing({ status: 'running', simulatedS: 0 })).toBe(true)
    expect(isPreparing({ status: 'running', simulatedS: 0.01 })).toBe(false)
    expect(isPreparing({ status: 'queued', simulatedS: 0 })).toBe(false)
    expect(isPreparing({ status: 'done', simulatedS: 0 })).toBe(false)
  })
})
