import { describe, expect, it } from 'vitest'
import { useCompareStore } from '../../../../renderer/src/features/compare/compareStore'
import { runColor } from '../../../../renderer/src/features/compare/model/runColors'
import { setupWith } from '../runs/fakeRunsClient'
import { compareClient } from './compareFixtures'

function setup() {
  const client = compareClient()
  setupWith(client)
  return { client, store: useCompareStore() }
}

describe('compare store', () => {
  it('loads each run once with its detail and series', async () => {
    const { client, store } = setup()
    await store.setRuns([2, 1, 2])
    expect(store.runs.map((r) => [r.id, r.label, r.color])).toEqual([
      [2, 'numa-balancing-tiering', runColor(0)],
      [1, 'first-touch', runColor(1)],
    ])
    expect(store.baselineId).toBe(2)
    // Adding a third run fetches only that one.
    const before = client.calls.length
    await store.addRun(3)
    const calls = client.calls
      .slice(before)
      .map((c) => `${c.method} ${(c.input as { id: number }).id}`)
    expect(calls.sort()).toEqual(['runs.get 3', 'runs.series 3'])
  })

  it('loads heatmaps on demand, once each; a run without one gets null', async () => {
    const { client, store } = setup()
    await store.setRuns([1, 3])
    expect(store.heatmaps.size).toBe(0)
    await Promise.all([store.loadHeatmap(1), store.loadHeatmap(1), store.loadHeatmap(3)])
    await store.loadHeatmap(1)
    const asked = client.calls.filter((c) => c.method === 'runs.heatmap').map((c) => c.input)
    expect(asked).toEqual([{ id: 1 }, { id: 3 }])
    expect(store.heatmaps.get(1)?.rankBins).toBe(2)
    expect(store.heatmaps.get(3)).toBeNull()
  })

  it('picks run-wide throughput as the first series and groups the rest as the metric catalogue does', async () => {
    const { store } = setup()
    await store.setRuns([1, 2])
    expect(store.selectedKeys).toEqual(['throughputOpsPerS'])
    expect(store.groups.map((g) => g.group)).toEqual(['run', 'process', 'node'])
    store.toggleKey('process.kv.meanLatencyNs')
    expect(store.selectedMeta.map((m) => m.unit)).toEqual(['ops/s', 'ns'])
    store.toggleKey('throughputOpsPerS')
    expect(store.selectedKeys).toEqual(['process.kv.meanLatencyNs'])
  })

  it('measures deltas and the verdict against the pinned baseline', async () => {
    const { store } = setup()
    await store.setRuns([1, 2])
    const thr = store.summaryRows.find((r) => r.key === 'throughputOpsPerS')!
    // Baseline first-touch 1000; tiering 1230 → +230 = +23 %.
    expect(thr.cells[1]).toMatchObject({ absolute: 230, percent: 23, verdict: 'better' })
    expect(store.verdict).toMatch(/^numa-balancing-tiering wins: \+23 % throughput vs first-touch/)
    store.setBaseline(2)
    expect(store.baselineIndex).toBe(1)
    // Against 1230: 1000 is −230 = −18.7 % → worse.
    expect(thr.key).toBe('throughputOpsPerS')
    const again = store.summaryRows.find((r) => r.key === 'throughputOpsPerS')!
    expect(again.cells[0].verdict).toBe('worse')
    expect(again.cells[0].percent).toBeCloseTo((-230 / 1230) * 100, 10)
    store.setBaseline(99)
    expect(store.baselineId).toBe(2)
  })

  it('diffs the experiments down to the policy', async () => {
    const { store } = setup()
    await store.setRuns([1, 2])
    expect(store.experimentDiff.map((r) => [r.path, r.values])).toEqual([
      ['policy.id', ['first-touch', 'numa-balancing-tiering']],
      ['policy.params', [{}, undefined]],
      ['policy.params.hotThresholdMs', [undefined, 1000]],
    ])
  })

  it('reads values at the cursor and exports the overlay as CSV', async () => {
    const { store } = setup()
    await store.setRuns([1, 2])
    store.cursorS = 1.2
    // Last sample at or before 1.2 s is t = 1 (index 1): 100·2 and 123·2.
    expect(store.valuesAtCursor[0].cells.map((c) => c?.value)).toEqual([200, 246])
    expect(store.maxTimeS).toBe(2)
    const lines = store.seriesCsv().trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      't_s,first-touch: Throughput (all processes) (ops/s),numa-balancing-tiering: Throughput (all processes) (ops/s)',
    )
    expect(lines.slice(1)).toEqual(['0.5,100,123', '1,200,246', '1.5,300,369', '2,400,492'])
  })

  it('offers the per-node used series for the stacked areas', async () => {
    const { store } = setup()
    await store.setRuns([1])
    expect(store.occupancy[0].used.map((s) => s.key)).toEqual([
      'node.0.usedBytes',
      'node.2.usedBytes',
    ])
  })

  it('reports a run that is not in the archive and compares the others', async () => {
    const { store } = setup()
    await store.setRuns([1, 42])
    expect(store.runs.map((r) => r.id)).toEqual([1])
    expect(store.loadErrors[42]).toBe('There is no run with id 42.')
  })

  it('refreshes a compared run when the host reports its status', async () => {
    const { client, store } = setup()
    await store.setRuns([1, 2])
    const before = client.calls.length
    client.emit({ type: 'run-status', runId: 2, status: 'done' })
    client.emit({ type: 'run-status', runId: 3, status: 'done' })
    await new Promise((r) => setTimeout(r, 0))
    await new Promise((r) => setTimeout(r, 0))
    // Run 2's detail and series again; run 3 is not compared.
    expect(
      client.calls.slice(before).map((c) => [c.method, (c.input as { id: number }).id]),
    ).toEqual([
      ['runs.get', 2],
      ['runs.series', 2],
    ])
  })
})
