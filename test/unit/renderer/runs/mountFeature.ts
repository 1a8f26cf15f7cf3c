import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent } from 'vue'
import { clientKey } from '../../../../renderer/src/api/provide'
import RunsView from '../../../../renderer/src/features/runs/RunsView.vue'
import CompareView from '../../../../renderer/src/features/compare/CompareView.vue'
import type { FakeRunsClient } from './fakeRunsClient'
import { setupWith } from './fakeRunsClient'

const Stub = defineComponent({ template: '<div data-testid="experiments-stub" />' })

/** Mounts the app's routes for runs and compare at `path`, with ECharts stubbed (toolchain.md §4). */
export async function mountAt(client: FakeRunsClient, path: string) {
  const pinia = setupWith(client)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/runs', name: 'runs', component: RunsView },
      { path: '/compare', name: 'compare', component: CompareView },
      { path: '/experiments', name: 'experiments', component: Stub },
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
      attachTo: document.body,
    },
  )
  await flushPromises()
  return { wrapper, router }
}
