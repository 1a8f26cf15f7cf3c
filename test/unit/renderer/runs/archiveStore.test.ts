import { describe, expect, it } from 'vitest'
import { watch } from 'vue'
import { ApiError } from '../../../../shared/api/errors'
import { FIRST_PAGE, useArchiveStore } from '../../../../renderer/src/features/runs/archiveStore'
import { createFakeRunsClient, makeRun, settle, setupWith } from './fakeRunsClient'

function setup() {
  const client = createFakeRunsClient({
    runs: [
      makeRun(3, { policyId: 'tpp', tags: ['cxl'] }),
      makeRun(2, { policyId: 'first-touch' }),
      makeRun(1, { policyId: 'tpp', status: 'queued', summary: null }),
    ],
  })
  setupWith(client)
  return { client, store: useArchiveStore() }
}

describe('archive store', () => {
  it('loads the runs and shows them filtered and sorted', async () => {
    const { store } = setup()
    await store.load()
    expect(store.loaded).toBe(true)
    // Default: created descending; run n is created on day n → 3, 2, 1.
    expect(store.visible.map((r) => r.id)).toEqual([3, 2, 1])
    store.filter.policy = 'tpp'
    expect(store.visible.map((r) => r.id)).toEqual([3, 1])
    store.setSort('throughput')
    // Numbers sort descending first; run 1 has no summary → last.
    expect(store.sort).toEqual({ column: 'throughput', descending: true })
    expect(store.visible.map((r) => r.id)).toEqual([3, 1])
    store.setSort('throughput')
    expect(store.sort.descending).toBe(false)
    store.resetFilter()
    expect(store.visible).toHaveLength(3)
  })

  it('shows the newest page first, then the whole archive', async () => {
    const client = createFakeRunsClient({
      runs: Array.from({ length: FIRST_PAGE + 50 }, (_, i) => makeRun(FIRST_PAGE + 50 - i)),
      fullListDelayMs: 20,
    })
    setupWith(client)
    const store = useArchiveStore()
    const seen: Array<[number, boolean]> = []
    watch(
      () => store.runs,
      (list) => seen.push([list.length, store.complete]),
      { flush: 'sync' },
    )
    await store.load()
    // First FIRST_PAGE runs while incomplete, then all of them.
    expect(seen).toEqual([
      [FIRST_PAGE, false],
      [FIRST_PAGE + 50, false],
    ])
    expect(store.complete).toBe(true)
    expect(client.calls.map((c) => c.input)).toEqual([{ limit: FIRST_PAGE }, {}])
    // A later reload asks for everything at once.
    await store.load()
    expect(client.calls.at(-1)?.input).toEqual({})
    expect(client.calls).toHaveLength(3)
  })

  it('needs one request when the archive fits in the first page', async () => {
    const { client, store } = setup()
    await store.load()
    expect(store.runs).toHaveLength(3)
    expect(store.complete).toBe(true)
    expect(client.calls).toHaveLength(1)
  })

  it('reports a failed load', async () => {
    const { client, store } = setup()
    client.failNext('runs.list', new ApiError('unavailable', 'The host is gone.'))
    await store.load()
    expect(store.error).toBe('The host is gone.')
  })

  it('selects, selects all shown, and keeps the selection in table order', async () => {
    const { store } = setup()
    await store.load()
    store.toggleSelected(1)
    store.toggleSelected(3)
    expect(store.selectedRuns.map((r) => r.id)).toEqual([3, 1])
    store.toggleSelected(1)
    expect([...store.selected]).toEqual([3])
    store.filter.policy = 'tpp'
    store.toggleAllVisible()
    expect([...store.selected].sort()).toEqual([1, 3])
    store.toggleAllVisible()
    expect(store.selected.size).toBe(0)
  })

  it('saves tags and notes through the API and shows the host’s record', async () => {
    const { client, store } = setup()
    await store.load()
    await store.setTags(2, ['nightly', 'baseline'])
    await store.setNotes(2, 'first-touch as the reference')
    expect(client.calls.slice(-2)).toEqual([
      { method: 'runs.setTags', input: { id: 2, tags: ['nightly', 'baseline'] } },
      { method: 'runs.setNotes', input: { id: 2, notes: 'first-touch as the reference' } },
    ])
    const run = store.runs.find((r) => r.id === 2)!
    expect(run.tags).toEqual(['nightly', 'baseline'])
    expect(run.notes).toBe('first-touch as the reference')
    expect(store.facets.tags).toEqual(['baseline', 'cxl', 'nightly'])
  })

  it('deletes runs and drops them from the list, the selection and the details', async () => {
    const { client, store } = setup()
    await store.load()
    store.toggleSelected(2)
    store.toggleSelected(3)
    store.focusedId = 3
    expect(await store.deleteRuns([2, 3])).toBe(2)
    expect(client.runs().map((r) => r.id)).toEqual([1])
    expect(store.runs.map((r) => r.id)).toEqual([1])
    expect(store.selected.size).toBe(0)
    expect(store.focused).toBeNull()
  })

  it('shows a failed action and keeps the runs', async () => {
    const { client, store } = setup()
    await store.load()
    client.failNext('runs.delete', new ApiError('internal', 'disk full'))
    expect(await store.deleteRuns([2])).toBe(0)
    expect(store.actionError).toBe('disk full')
    expect(store.runs).toHaveLength(3)
  })

  it('follows live progress and status from the host’s events', async () => {
    const { client, store } = setup()
    await store.load()
    // 0.5 s of 2 s simulated → 25 %; a queued run that reports progress is running.
    client.emit({
      type: 'run-progress',
      runId: 1,
      epoch: 50,
      simulatedS: 0.5,
      durationS: 2,
      etaS: 1,
    })
    expect(store.progress[1].fraction).toBe(0.25)
    expect(store.runs.find((r) => r.id === 1)!.status).toBe('running')
    const listsBefore = client.calls.filter((c) => c.method === 'runs.list').length
    client.emit({ type: 'run-status', runId: 1, status: 'done' })
    expect(store.runs.find((r) => r.id === 1)!.status).toBe('done')
    expect(store.progress[1]).toBeUndefined()
    await settle()
    // Finished: reloaded once for its summary.
    expect(client.calls.filter((c) => c.method === 'runs.list').length).toBe(listsBefore + 1)
  })

  it('reloads once for a burst of "changed" events', async () => {
    const { client, store } = setup()
    await store.load()
    const before = client.calls.length
    for (let i = 0; i < 5; i++) client.emit({ type: 'changed', what: 'runs' })
    await settle()
    expect(client.calls.slice(before).map((c) => c.method)).toEqual(['runs.list'])
  })

  it('exports the selection as the host’s bundle', async () => {
    const { store } = setup()
    await store.load()
    const bundle = await store.exportBundle([3, 2])
    expect(bundle?.fileName).toBe('tierlab-runs-3-2.json')
    expect(JSON.parse(bundle!.text).runs.map((r: { id: number }) => r.id)).toEqual([3, 2])
    expect(await store.exportBundle([])).toBeUndefined()
  })
})
