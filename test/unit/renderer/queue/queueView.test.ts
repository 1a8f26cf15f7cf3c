// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { RunRecord } from '../../../../shared/runs'
import { makeRun } from '../runs/fakeRunsClient'
import { ApiError } from '../../../../shared/api/errors'
import QueueView from '../../../../renderer/src/features/queue/QueueView.vue'
import { useQueueStore } from '../../../../renderer/src/features/queue/queueStore'
import { clientKey } from '../../../../renderer/src/api/provide'
import { createTestClient, setupTestStores } from '../experiments/test-client'

const rec = (id: number, status: RunRecord['status']): RunRecord =>
  makeRun(id, {
    status,
    topologyName: 'T',
    workloadName: 'W',
    engineVersion: 'test',
    createdAt: '',
    wallMs: null,
    summary: null,
  })

async function mountQueue() {
  const client = createTestClient({
    handlers: {
      'runs.list': ({ status }) =>
        status === 'running' ? [rec(1, 'running')] : status === 'queued' ? [rec(2, 'queued')] : [],
    },
  })
  const { pinia } = setupTestStores(client)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/queue', name: 'queue', component: QueueView },
      { path: '/experiments', name: 'experiments', component: { template: '<div />' } },
      { path: '/runs', name: 'runs', component: { template: '<div />' } },
      { path: '/compare', name: 'compare', component: { template: '<div />' } },
    ],
  })
  await router.push('/queue')
  const wrapper = mount(
    { template: '<RouterView />' },
    {
      global: {
        plugins: [pinia, router],
        provide: { [clientKey as symbol]: client },
        stubs: { Echarts: true },
      },
    },
  )
  await flushPromises()
  return { wrapper, client, store: useQueueStore() }
}

describe('live runs queue', () => {
  it('lists running then queued runs with progress, and applies events once per frame', async () => {
    const { wrapper, client, store } = await mountQueue()
    const rows = () =>
      wrapper
        .findAll('[data-testid="queue-row"]')
        .map((r) => [r.attributes('data-run-id'), r.attributes('data-status')])
    expect(rows()).toEqual([
      ['1', 'running'],
      ['2', 'queued'],
    ])
    const tickBefore = store.tick
    for (let i = 1; i <= 30; i++)
      client.emit({
        type: 'run-progress',
        runId: 1,
        epoch: i,
        simulatedS: i / 10,
        durationS: 4,
        etaS: 12,
        live: { throughputOpsPerS: 1e6 * i },
      })
    // Nothing is applied until the frame comes.
    expect(store.tick).toBe(tickBefore)
    store.flush()
    await flushPromises()
    expect(store.tick).toBe(tickBefore + 1)
    // Last event: 3 s of 4 s simulated = 75 %.
    const bar = wrapper.get('[data-run-id="1"] [data-testid="queue-progress"]')
    expect(bar.attributes('aria-valuenow')).toBe('75')
    expect(wrapper.get('[data-run-id="1"] [data-testid="queue-eta"]').text()).toBe('12 s')
    const charts = wrapper.get('[data-testid="live-charts"]')
    expect(charts.attributes('data-run-id')).toBe('1')
    expect(charts.findAll('[data-testid="live-chart"]')).toHaveLength(4)
    expect(charts.text()).toContain('30 points')
  })

  it('cancels a run and shows the host refusal when cancelling fails', async () => {
    const { wrapper, client } = await mountQueue()
    await wrapper.get('[data-run-id="2"] [data-testid="cancel-run"]').trigger('click')
    await flushPromises()
    expect(client.callsOf('runs.cancel')).toEqual([{ id: 2 }])
    expect(wrapper.get('[data-run-id="2"]').attributes('data-status')).toBe('cancelled')
    client.failNext('runs.cancel', new ApiError('conflict', 'Run 1 has already finished.'))
    await wrapper.get('[data-run-id="1"] [data-testid="cancel-run"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="queue-error"]').text()).toBe(
      'Could not cancel run #1: Run 1 has already finished.',
    )
  })

  it('offers to compare the runs once two of them are done', async () => {
    const { wrapper, client, store } = await mountQueue()
    expect(wrapper.find('[data-testid="compare-finished"]').exists()).toBe(false)
    client.emit({ type: 'run-status', runId: 2, status: 'done' })
    store.flush()
    await flushPromises()
    // One done run is nothing to compare yet.
    expect(wrapper.find('[data-testid="compare-finished"]').exists()).toBe(false)
    client.emit({ type: 'run-status', runId: 1, status: 'done' })
    store.flush()
    await flushPromises()
    // Both done: oldest first, as Compare takes the first as the baseline.
    expect(wrapper.get('[data-testid="compare-finished"]').attributes('href')).toBe(
      '/compare?runs=1,2',
    )
  })

  it('fetches the records of runs it hears about from elsewhere', async () => {
    const { client, store } = await mountQueue()
    const before = client.callsOf('runs.list').length
    client.emit({ type: 'run-status', runId: 9, status: 'running' })
    store.flush()
    await flushPromises()
    // One reload: running + queued lists.
    expect(client.callsOf('runs.list').length).toBe(before + 2)
  })

  it('asks for the record of a live run the host no longer lists as live', async () => {
    const finished = { ...rec(5, 'done') }
    const client = createTestClient({
      handlers: { 'runs.list': () => [], 'runs.get': () => finished as never },
    })
    setupTestStores(client)
    const store = useQueueStore()
    store.track([rec(5, 'running')])
    expect(store.rows.map((r) => r.status)).toEqual(['running'])
    await store.load()
    expect(client.callsOf('runs.get')).toEqual([{ id: 5 }])
    expect(store.rows.map((r) => [r.id, r.status])).toEqual([[5, 'done']])
  })
})
