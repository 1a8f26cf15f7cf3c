import { describe, expect, it } from 'vitest'
import {
  EMPTY_FILTER,
  filterRuns,
  isFiltering,
  runFacets,
  sortRuns,
} from '../../../../renderer/src/features/runs/model/runFilter'
import { makeRun } from './fakeRunsClient'

const runs = [
  makeRun(1, {
    name: 'kv baseline',
    policyId: 'first-touch',
    tags: ['nightly'],
    createdAt: '2026-03-01T08:00:00.000Z',
    summary: { throughputOpsPerS: 500, topTierHitRatio: 0.42 },
  }),
  makeRun(2, {
    name: 'kv tiering',
    policyId: 'numa-balancing-tiering',
    tags: ['nightly', 'hbm-test'],
    createdAt: '2026-03-02T23:59:00.000Z',
    notes: 'Promotion rate limit 64 MB/s',
    summary: { throughputOpsPerS: 615, topTierHitRatio: 0.91 },
  }),
  makeRun(3, {
    name: 'GUPS tpp',
    policyId: 'tpp',
    workloadName: 'gups',
    status: 'failed',
    createdAt: '2026-03-03T00:00:00.000Z',
    summary: null,
    wallMs: null,
  }),
]
const ids = (list: { id: number }[]) => list.map((r) => r.id)

describe('filterRuns', () => {
  it('keeps everything for the empty filter', () => {
    expect(ids(filterRuns(runs, EMPTY_FILTER))).toEqual([1, 2, 3])
    expect(isFiltering(EMPTY_FILTER)).toBe(false)
  })

  it('needs every word of the search somewhere in the run, ignoring case', () => {
    // "KV" matches runs 1 and 2 by name; "rate" only run 2's notes.
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, text: 'KV' }))).toEqual([1, 2])
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, text: 'kv  rate' }))).toEqual([2])
    // Tags and workload are searched too.
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, text: 'HBM' }))).toEqual([2])
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, text: 'gups' }))).toEqual([3])
    expect(filterRuns(runs, { ...EMPTY_FILTER, text: 'kv gups' })).toEqual([])
  })

  it('narrows by policy, workload, tag and status exactly', () => {
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, policy: 'tpp' }))).toEqual([3])
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, workload: 'kv-store' }))).toEqual([1, 2])
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, tag: 'nightly' }))).toEqual([1, 2])
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, tag: 'night' }))).toEqual([])
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, status: 'failed' }))).toEqual([3])
    expect(isFiltering({ ...EMPTY_FILTER, status: 'failed' })).toBe(true)
  })

  it('treats the date range as inclusive UTC days', () => {
    // Run 2 was created 23:59 on 03-02: inside a range that ends on 03-02.
    const range = { ...EMPTY_FILTER, createdFrom: '2026-03-02', createdTo: '2026-03-02' }
    expect(ids(filterRuns(runs, range))).toEqual([2])
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, createdFrom: '2026-03-02' }))).toEqual([2, 3])
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, createdTo: '2026-03-01' }))).toEqual([1])
  })

  it('filters 10,000 runs quickly enough to run on every keystroke', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      makeRun(i + 1, { name: `sweep-${i}`, policyId: i % 2 ? 'tpp' : 'first-touch' }),
    )
    filterRuns(many, { ...EMPTY_FILTER, text: 'warm' }) // builds the search strings once
    const t0 = performance.now()
    const hits = filterRuns(many, { ...EMPTY_FILTER, text: 'sweep-99', policy: 'tpp' })
    const ms = performance.now() - t0
    // Names containing sweep-99: i = 99, 990–999, 9900–9999; odd i only (tpp): 1 + 5 + 50 = 56.
    expect(hits).toHaveLength(56)
    expect(ms).toBeLessThan(100)
  })
})

describe('sortRuns', () => {
  it('sorts text columns alphabetically and numbers numerically', () => {
    expect(ids(sortRuns(runs, { column: 'policy', descending: false }))).toEqual([1, 2, 3])
    expect(ids(sortRuns(runs, { column: 'name', descending: false }))).toEqual([3, 1, 2])
    expect(ids(sortRuns(runs, { column: 'throughput', descending: true }))).toEqual([2, 1, 3])
    expect(ids(sortRuns(runs, { column: 'hitRatio', descending: false }))).toEqual([1, 2, 3])
  })

  it('puts runs without a value last in both directions', () => {
    // Run 3 has no summary and no wall time.
    expect(ids(sortRuns(runs, { column: 'throughput', descending: false }))).toEqual([1, 2, 3])
    expect(ids(sortRuns(runs, { column: 'duration', descending: true }))).toEqual([2, 1, 3])
  })

  it('breaks ties newest (highest id) first and does not change its input', () => {
    const tied = [
      makeRun(4, { name: 'same' }),
      makeRun(9, { name: 'same' }),
      makeRun(6, { name: 'same' }),
    ]
    expect(ids(sortRuns(tied, { column: 'name', descending: false }))).toEqual([9, 6, 4])
    expect(ids(tied)).toEqual([4, 9, 6])
  })

  it('orders names with numbers naturally (run 2 before run 10)', () => {
    const named = [makeRun(1, { name: 'run 10' }), makeRun(2, { name: 'run 2' })]
    expect(ids(sortRuns(named, { column: 'name', descending: false }))).toEqual([2, 1])
  })
})

describe('runFacets', () => {
  it('lists the distinct values each filter menu offers, sorted', () => {
    expect(runFacets(runs)).toEqual({
      policies: ['first-touch', 'numa-balancing-tiering', 'tpp'],
      topologies: ['2S + CXL'],
      workloads: ['gups', 'kv-store'],
      tags: ['hbm-test', 'nightly'],
    })
  })
})
