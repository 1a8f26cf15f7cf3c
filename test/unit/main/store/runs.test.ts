import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, runFingerprint, type FinishRunInput, type Store } from '../../../../main/store'
import type { HeatmapData, SeriesData } from '../../../../shared/runs'
import { makeTempDir, runInput, sampleExperiment, steppingClock } from './helpers'

let file: string
let cleanup: () => void
let store: Store
beforeEach(() => {
  const temp = makeTempDir()
  cleanup = temp.cleanup
  file = path.join(temp.dir, 'tierlab.db')
  store = openStore(file, { clock: steppingClock() })
})
afterEach(() => {
  store.close()
  cleanup()
})

/** Values a text or Float32 encoding would not keep exactly. */
const awkward = [0.1, 1 / 3, -0, 1e-300, Number.MAX_VALUE, -2.5e17, Math.PI]
const throughput: SeriesData = {
  key: 'throughput.kv',
  label: 'kv throughput',
  unit: 'ops/s',
  t: awkward.map((_, i) => i * 0.01),
  values: awkward,
}
const hitRatio: SeriesData = {
  key: 'topTierHitRatio',
  label: 'top-tier hit ratio',
  unit: '1',
  t: [0, 0.5, 1],
  values: [0.25, 0.5, 0.75],
}
const heatmap: HeatmapData = {
  t: [0, 1],
  rankBins: 3,
  tiers: [0, 1],
  values: [0, 0.5, 1, 0.1, 0.25, 1],
}
const result = (over: Partial<FinishRunInput> = {}): FinishRunInput => ({
  summary: { meanThroughputOpsPerS: 1.5e6, migratedBytes: 4096 },
  processes: [{ id: 'kv', throughputOpsPerS: 1.5e6, meanLatencyNs: 130.25 }],
  series: [throughput, hitRatio],
  heatmap,
  wallMs: 812.5,
  ...over,
})

function finishedRun(): number {
  const id = store.runs.create(runInput()).id
  store.runs.markRunning(id)
  store.runs.finish(id, result())
  return id
}

describe('run lifecycle', () => {
  it('creates a queued run, starts and finishes it, and returns the whole detail', () => {
    const input = runInput({ tags: [' sweep ', 'a', 'sweep', ''], notes: 'n', batch: 'b1' })
    const created = store.runs.create(input)
    expect(created).toEqual({
      id: 1,
      name: 'kv tpp',
      status: 'queued',
      policyId: 'tpp',
      topologyName: 'one socket + CXL',
      workloadName: 'kv-store',
      seed: 1,
      engineVersion: '0.1.0',
      createdAt: '2026-01-01T00:00:00.000Z',
      startedAt: null,
      finishedAt: null,
      wallMs: null,
      tags: ['sweep', 'a'], // trimmed, empties and repeats dropped
      notes: 'n',
      batch: 'b1',
      summary: null,
      error: null,
      groupKey: expect.stringMatching(/^[0-9a-f]{16}$/),
      replicate: null,
      sweepPoint: null,
      jobId: null,
      queueUrl: null,
    })
    expect(store.runs.markRunning(1)).toMatchObject({
      status: 'running',
      startedAt: '2026-01-01T00:00:01.000Z',
    })
    const done = store.runs.finish(1, result())
    expect(done).toMatchObject({
      status: 'done',
      finishedAt: '2026-01-01T00:00:02.000Z',
      wallMs: 812.5,
      summary: { meanThroughputOpsPerS: 1.5e6, migratedBytes: 4096 },
    })
    const detail = store.runs.get(1)!
    expect(detail.experiment).toEqual(input.experiment)
    expect(detail.processes).toEqual([
      { id: 'kv', throughputOpsPerS: 1.5e6, meanLatencyNs: 130.25 },
    ])
    expect(store.runs.get(99)).toBeNull()
  })

  it('fails and cancels from queued or running, storing the error', () => {
    const a = store.runs.create(runInput()).id
    store.runs.markRunning(a)
    expect(store.runs.fail(a, 'worker crashed')).toMatchObject({
      status: 'failed',
      error: 'worker crashed',
    })
    const b = store.runs.create(runInput()).id
    expect(store.runs.cancel(b).status).toBe('cancelled')
    expect(store.runs.get(b)?.finishedAt).not.toBeNull()
  })

  it('interrupts a live run when its process shuts down, keeping the reason', () => {
    const live = store.runs.create(runInput()).id
    store.runs.markRunning(live)
    expect(store.runs.interrupt(live, 'Interrupted: Tierlab was closed')).toMatchObject({
      status: 'interrupted',
      error: 'Interrupted: Tierlab was closed',
    })
    expect(() => store.runs.interrupt(finishedRun(), 'x')).toThrow(
      expect.objectContaining({ code: 'conflict' }),
    )
  })

  it('refuses transitions from the wrong status with a conflict naming both', () => {
    const queued = store.runs.create(runInput()).id
    expect(() => store.runs.finish(queued, result())).toThrow(
      expect.objectContaining({
        code: 'conflict',
        message: `Run ${queued} is queued; only a running run can be finished.`,
      }),
    )
    const done = finishedRun()
    for (const attempt of [
      () => store.runs.markRunning(done),
      () => store.runs.cancel(done),
      () => store.runs.fail(done, 'x'),
      () => store.runs.finish(done, result()),
    ]) {
      expect(attempt).toThrow(expect.objectContaining({ code: 'conflict' }))
    }
    expect(store.runs.get(done)?.status).toBe('done')
    expect(() => store.runs.markRunning(404)).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    )
  })

  it('refuses to start a running run again, keeping its first start time', () => {
    const id = store.runs.create(runInput()).id
    const startedAt = store.runs.markRunning(id).startedAt
    expect(startedAt).not.toBeNull()
    expect(() => store.runs.markRunning(id)).toThrow(
      expect.objectContaining({
        code: 'conflict',
        message: `Run ${id} is running; only a queued run can be started.`,
      }),
    )
    expect(store.runs.get(id)).toMatchObject({ status: 'running', startedAt })
  })

  it('rolls a finish back entirely when it fails mid-way', () => {
    const id = store.runs.create(runInput()).id
    store.runs.markRunning(id)
    // The status update and the first series are written before the second series is rejected.
    const broken: SeriesData = { ...hitRatio, key: 'broken', values: [1, 2] }
    expect(() => store.runs.finish(id, result({ series: [throughput, broken] }))).toThrow(
      /series "broken" has 3 times but 2 values/,
    )
    const run = store.runs.get(id)!
    expect(run.status).toBe('running')
    expect(run.summary).toBeNull()
    expect(run.finishedAt).toBeNull()
    expect(store.runs.series(id)).toEqual([])
    expect(store.runs.heatmap(id)).toBeNull()
    // It can still finish properly afterwards.
    expect(store.runs.finish(id, result()).status).toBe('done')
  })
})

describe('series and heatmaps', () => {
  it('round-trip Float64 series exactly, in stored order, optionally by key', () => {
    const id = finishedRun()
    const series = store.runs.series(id)
    expect(series).toEqual([throughput, hitRatio])
    expect(Object.is(series[0].values[2], -0)).toBe(true)
    expect(store.runs.series(id, ['topTierHitRatio'])).toEqual([hitRatio])
    expect(store.runs.series(id, ['nope'])).toEqual([])
    expect(() => store.runs.series(404)).toThrow(expect.objectContaining({ code: 'not-found' }))
  })

  it('stores typed-array bytes: 8 per series value, 4 per heatmap cell', () => {
    const id = finishedRun()
    const raw = new Database(file, { readonly: true })
    const rows = raw
      .prepare(
        'SELECT key, point_count, length(t) AS tBytes, length(values_blob) AS vBytes FROM run_series WHERE run_id = ? ORDER BY position',
      )
      .all(id)
    // throughput: 7 points × 8 bytes = 56; hitRatio: 3 × 8 = 24.
    expect(rows).toEqual([
      { key: 'throughput.kv', point_count: 7, tBytes: 56, vBytes: 56 },
      { key: 'topTierHitRatio', point_count: 3, tBytes: 24, vBytes: 24 },
    ])
    // 2 times × 3 bins = 6 cells × 4 bytes = 24.
    expect(raw.prepare('SELECT length(values_blob) FROM run_heatmaps').pluck().get()).toBe(24)
    raw.close()
  })

  it('round-trips the heatmap (cells at Float32 precision)', () => {
    const id = finishedRun()
    // 0, 0.5, 1 and 0.25 are exact in Float32; 0.1 becomes its nearest Float32.
    expect(store.runs.heatmap(id)).toEqual({
      t: [0, 1],
      rankBins: 3,
      tiers: [0, 1],
      values: [0, 0.5, 1, Math.fround(0.1), 0.25, 1],
    })
    const bad = store.runs.create(runInput()).id
    store.runs.markRunning(bad)
    expect(() =>
      store.runs.finish(bad, result({ heatmap: { ...heatmap, values: [1, 2] } })),
    ).toThrow(/2 values but 2 times × 3 bins = 6 cells/)
  })
})

describe('tags, notes, delete', () => {
  it('sets tags and notes', () => {
    const id = store.runs.create(runInput()).id
    expect(store.runs.setTags(id, ['b', 'a', 'b']).tags).toEqual(['b', 'a'])
    expect(store.runs.setNotes(id, 'looks odd').notes).toBe('looks odd')
    expect(store.runs.list({ tag: 'a' }).map((r) => r.id)).toEqual([id])
    expect(store.runs.list({ text: 'ODD' }).map((r) => r.id)).toEqual([id])
    expect(() => store.runs.setTags(404, [])).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    )
  })

  it('deletes runs with their series and heatmaps (cascade)', () => {
    const gone = finishedRun()
    const kept = finishedRun()
    expect(store.runs.delete([gone, 404])).toBe(1)
    expect(store.runs.get(gone)).toBeNull()
    const raw = new Database(file, { readonly: true })
    const count = (table: string, id: number) =>
      raw.prepare(`SELECT count(*) FROM ${table} WHERE run_id = ?`).pluck().get(id)
    expect([count('run_series', gone), count('run_heatmaps', gone)]).toEqual([0, 0])
    expect([count('run_series', kept), count('run_heatmaps', kept)]).toEqual([2, 1])
    raw.close()
    expect(store.runs.series(kept)).toHaveLength(2)
  })
})

describe('import', () => {
  it('keeps the original status and timestamps, and finds the duplicate by fingerprint', () => {
    const original = finishedRun()
    const detail = store.runs.get(original)!
    const { id: _id, ...rest } = detail
    const bundle = {
      ...rest,
      series: store.runs.series(original),
      heatmap: store.runs.heatmap(original),
    }
    const fingerprint = runFingerprint(bundle)
    expect(store.runs.findDuplicate(fingerprint)).toBe(original)

    const copy = store.runs.insertImported(bundle)
    expect(copy).not.toBe(original)
    const imported = store.runs.get(copy)!
    expect({ ...imported, id: original }).toEqual(detail)
    expect(store.runs.series(copy)).toEqual([throughput, hitRatio])
    expect(store.runs.heatmap(copy)).toEqual(store.runs.heatmap(original))
    // The first run with the fingerprint is reported.
    expect(store.runs.findDuplicate(fingerprint)).toBe(original)
    expect(store.runs.findDuplicate('0'.repeat(64))).toBeNull()
  })

  it('stores a run exported while running as interrupted', () => {
    const id = store.runs.create(runInput()).id
    store.runs.markRunning(id)
    const { id: _id, ...rest } = store.runs.get(id)!
    const copy = store.runs.insertImported({ ...rest, series: [], heatmap: null })
    expect(store.runs.get(copy)).toMatchObject({
      status: 'interrupted',
      error: expect.stringContaining('still queued or running when it was exported'),
    })
  })

  it('fingerprints ignore key order and instant spelling, but not seed or engine', () => {
    const experiment = sampleExperiment(3)
    const reordered = Object.fromEntries(Object.entries(experiment).reverse())
    const base = {
      experiment,
      seed: 3,
      engineVersion: '0.1.0',
      createdAt: '2026-01-01T00:00:00.000Z',
    }
    const fp = runFingerprint(base)
    expect(fp).toMatch(/^[0-9a-f]{64}$/)
    expect(runFingerprint({ ...base, experiment: reordered })).toBe(fp)
    expect(runFingerprint({ ...base, createdAt: '2026-01-01T00:00:00+00:00' })).toBe(fp)
    expect(runFingerprint({ ...base, seed: 4 })).not.toBe(fp)
    expect(runFingerprint({ ...base, engineVersion: '0.2.0' })).not.toBe(fp)
  })
})

describe('list', () => {
  it('lists 10,000 runs newest first and filters them', () => {
    const policies = ['tpp', 'memtis', 'first-touch', 'oracle']
    store.transaction(() => {
      for (let i = 0; i < 10_000; i++) {
        const run = store.runs.create(
          runInput({
            name: `run-${i}`,
            seed: i,
            policyId: policies[i % 4],
            tags: i % 5 === 0 ? ['sweep-a'] : [],
          }),
        )
        if (i % 10 === 0) store.runs.markRunning(run.id)
      }
    })
    const all = store.runs.list()
    expect(all).toHaveLength(10_000)
    // The stepping clock makes later runs newer: ids 10000 … 1.
    expect(all[0]).toMatchObject({ id: 10_000, name: 'run-9999' })
    expect(all[9_999]).toMatchObject({ id: 1, name: 'run-0' })
    expect(all.every((r, i) => i === 0 || r.createdAt <= all[i - 1].createdAt)).toBe(true)
    expect(all[0]).not.toHaveProperty('experiment')

    // i % 4 === 1 → 2500 memtis runs.
    expect(store.runs.list({ policyId: 'memtis' })).toHaveLength(2_500)
    expect(store.runs.count({ policyId: 'memtis' })).toBe(2_500)
    // i % 10 === 0 → 1000 running; i % 5 === 0 → 2000 tagged; both: i % 10 === 0 → 1000.
    expect(store.runs.count({ status: 'running' })).toBe(1_000)
    expect(store.runs.count({ tag: 'sweep-a' })).toBe(2_000)
    expect(store.runs.count({ tag: 'sweep-a', status: 'running' })).toBe(1_000)
    // Queued runs, newest first: i = 9999, 9998, … skipping multiples of 10; page 2 of 5.
    // Each decade has 9 queued runs, so rows 5..9 are i = 9994, 9993, 9992, 9991, 9989.
    expect(store.runs.list({ status: 'queued', limit: 5, offset: 5 }).map((r) => r.name)).toEqual([
      'run-9994',
      'run-9993',
      'run-9992',
      'run-9991',
      'run-9989',
    ])
    expect(store.runs.list({ text: 'RUN-1234' }).map((r) => r.name)).toEqual(['run-1234'])
    expect(store.runs.list({ limit: 3 }).map((r) => r.id)).toEqual([10_000, 9_999, 9_998])
  })
})

describe('per-node results and policy series', () => {
  it("keep the nodes at the end of a run and a policy series' better-direction", () => {
    const id = store.runs.create(runInput()).id
    store.runs.markRunning(id)
    const threshold: SeriesData = {
      key: 'policy.hotThresholdMs',
      label: 'Hot threshold',
      unit: 'ms',
      better: 'neutral',
      t: [0.5, 1],
      values: [1000, 800],
    }
    const queue: SeriesData = { ...threshold, key: 'policy.queue', better: 'lower' }
    const nodes = [
      { node: 0, component: 's0', usedBytes: 3 * 2 ** 30, accessShare: 0.75 },
      { node: 1, component: 'cxl0', usedBytes: 2 ** 30, accessShare: 0.25 },
    ]
    store.runs.finish(id, result({ series: [hitRatio, threshold, queue], nodes }))
    expect(store.runs.get(id)?.nodes).toEqual(nodes)
    // Series without a direction read back without one (the catalogue gives it).
    expect(store.runs.series(id)).toEqual([hitRatio, threshold, queue])
  })

  it("keep the engine's warnings about a run, and none when it had none", () => {
    const warned = store.runs.create(runInput()).id
    store.runs.markRunning(warned)
    const warnings = [
      'the closed loop (throughput, bandwidth and loaded latency) did not converge in 3 epoch(s)',
    ]
    store.runs.finish(warned, result({ warnings }))
    expect(store.runs.get(warned)?.warnings).toEqual(warnings)
    const quiet = store.runs.create(runInput()).id
    store.runs.markRunning(quiet)
    store.runs.finish(quiet, result())
    expect(store.runs.get(quiet)?.warnings).toEqual([])
    // A run that never finished has none either.
    expect(store.runs.get(store.runs.create(runInput()).id)?.warnings).toEqual([])
  })

  it('refuse a better-direction that is not higher, lower or neutral', () => {
    const id = store.runs.create(runInput()).id
    store.runs.markRunning(id)
    const bad = { ...hitRatio, key: 'policy.x', better: 'up' } as unknown as SeriesData
    expect(() => store.runs.finish(id, result({ series: [bad] }))).toThrow(/CHECK constraint/)
    // The finish is one transaction: the run is still running, with no series.
    expect(store.runs.get(id)?.status).toBe('running')
    expect(store.runs.series(id)).toEqual([])
  })
})

describe('replicate groups, sweeps and queue jobs (schema v5)', () => {
  it('groups runs that differ only by seed and name, not by a knob', () => {
    const a = store.runs.create(runInput({ seed: 1 }))
    const b = store.runs.create(runInput({ seed: 2, name: 'other name' }))
    const exp = runInput().experiment
    const c = store.runs.create(runInput({ experiment: { ...exp, durationS: exp.durationS + 1 } }))
    expect(a.groupKey).toBe(b.groupKey)
    expect(c.groupKey).not.toBe(a.groupKey)
    expect(store.runs.list({ groupKey: a.groupKey! }).map((r) => r.id)).toEqual([b.id, a.id])
  })

  it('lists sweeps with their knobs and counts, and filters by batch', () => {
    const point = (v: number) => ({ 'policy.params.x': v, 'policy.params.y': true })
    const first = store.runs.create(runInput({ batch: 's1', sweepPoint: point(1), replicate: 0 }))
    store.runs.create(runInput({ batch: 's1', sweepPoint: point(2), replicate: 0 }))
    store.runs.create(runInput({ batch: 's2' }))
    store.runs.markRunning(first.id)
    store.runs.finish(first.id, result())
    const sweeps = store.runs.sweeps()
    expect(sweeps.find((s) => s.sweep === 's1')).toMatchObject({
      knobs: ['policy.params.x', 'policy.params.y'],
      runs: 2,
      done: 1,
    })
    expect(store.runs.list({ batch: 's1' })).toHaveLength(2)
    expect(store.runs.get(first.id)).toMatchObject({ sweepPoint: point(1), replicate: 0 })
  })

  it('lets a queue job be done only once per database', () => {
    const one = store.runs.create(runInput({ jobId: 'tl-abc' }))
    const two = store.runs.create(runInput({ jobId: 'tl-abc' }))
    store.runs.markRunning(one.id)
    store.runs.finish(one.id, result())
    store.runs.markRunning(two.id)
    expect(() => store.runs.finish(two.id, result())).toThrow(/UNIQUE/)
    // The failed write left nothing half-done: the second run is still running, no series.
    expect(store.runs.get(two.id)?.status).toBe('running')
    expect(store.runs.series(two.id)).toEqual([])
    expect(store.runs.findDoneJob('tl-abc')).toBe(one.id)
  })
})
