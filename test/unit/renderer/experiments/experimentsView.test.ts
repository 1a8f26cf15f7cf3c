// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import ExperimentsView from '../../../../renderer/src/features/experiments/ExperimentsView.vue'
import { clientKey } from '../../../../renderer/src/api/provide'
import { createTestClient, setupTestStores } from './test-client'

async function mountView(path = '/experiments') {
  const client = createTestClient()
  const { pinia } = setupTestStores(client)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/experiments', name: 'experiments', component: ExperimentsView },
      { path: '/queue', name: 'queue', component: { template: '<div />' } },
    ],
  })
  await router.push(path)
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
  return { wrapper, client }
}

describe('ExperimentsView', () => {
  it('generates a knob form for a chosen policy and queues a run per policy', async () => {
    const { wrapper, client } = await mountView()
    expect(wrapper.get('[data-testid="run-blocker"]').text()).toBe('Choose at least one policy.')
    await wrapper.get('[data-testid="policy-first-touch"]').setValue(true)
    await wrapper.get('[data-testid="policy-numa-balancing-tiering"]').setValue(true)
    const form = wrapper.get('[data-testid="knob-form"][data-policy="numa-balancing-tiering"]')
    expect(
      form.findAll('[data-testid="knob-field"]').map((f) => f.attributes('data-knob')),
    ).toEqual(['hotThresholdMs', 'scanSizeMB', 'thresholdAutoAdjust', 'promotion', 'nodes'])
    const hot = form.get('[data-knob="hotThresholdMs"]')
    expect(hot.text()).toContain('Range more than 0 and at most 3600000 ms. Default 1000 ms.')
    await hot.get('input').setValue('0')
    expect(hot.get('[data-testid="knob-message"]').text()).toBe('must be more than 0 ms')
    expect(wrapper.get('[data-testid="run-button"]').attributes('disabled')).toBeDefined()
    await hot.get('input').setValue('500')

    await wrapper.get('[data-testid="run-button"]').trigger('click')
    await flushPromises()
    const started = client.callsOf('runs.start')
    expect(
      started.map((s) => (s.experiment as { policy: { id: string; params: object } }).policy),
    ).toEqual([
      { id: 'first-touch', params: {} },
      {
        id: 'numa-balancing-tiering',
        params: {
          hotThresholdMs: 500,
          scanSizeMB: 256,
          thresholdAutoAdjust: true,
          promotion: 'sync',
          nodes: [],
        },
      },
    ])
    expect(started[0].tags).toEqual(started[1].tags)
    expect(wrapper.get('[data-testid="queued-notice"]').text()).toContain('Queued 2 runs (#1, #2)')
  })
})
