// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import App from '../../../renderer/src/App.vue'
import { clientKey } from '../../../renderer/src/api/provide'
import { ApiError } from '../../../shared/api/errors'
import { SECTIONS } from '../../../renderer/src/router'
import { setupStores } from './helpers/setup-app'

async function mountApp(failInfo?: ApiError) {
  const { client, pinia } = setupStores({
    info: { databasePath: '/home/u/.config/Tierlab/tierlab.db' },
  })
  if (failInfo) client.failNext('app.info', failInfo)
  // Every section of the navigation gets a stub route: the shell is under test, not the pages.
  const router = createRouter({
    history: createMemoryHistory(),
    routes: SECTIONS.map((s) => ({
      path: `/${s.name}`,
      name: s.name,
      component: { template: '<p />' },
    })),
  })
  await router.push('/topologies')
  const wrapper = mount(App, {
    global: { plugins: [pinia, router], provide: { [clientKey as symbol]: client } },
  })
  await flushPromises()
  return wrapper
}

describe('App shell', () => {
  it('shows the database path from app.info and links every section', async () => {
    const wrapper = await mountApp()
    expect(wrapper.get('[data-testid="database-path"]').text()).toContain(
      '/home/u/.config/Tierlab/tierlab.db',
    )
    const nav = wrapper.findAll('[data-testid="nav"] a').map((a) => a.text())
    expect(nav).toEqual(SECTIONS.map((s) => s.title))
    expect(nav.filter((t) => ['Topologies', 'Experiments', 'Runs', 'Compare'].includes(t))).toEqual(
      ['Topologies', 'Experiments', 'Runs', 'Compare'],
    )
  })

  it('says why nothing loads when the host refuses the page', async () => {
    const wrapper = await mountApp(
      new ApiError(
        'unauthorized',
        'missing or wrong token; open the URL that `tierlab serve` printed',
      ),
    )
    expect(wrapper.get('[data-testid="host-error"]').text()).toContain('missing or wrong token')
    expect(wrapper.find('[data-testid="database-path"]').exists()).toBe(false)
  })

  it('walks the first experiment with the getting-started tour, following the page shown', async () => {
    const wrapper = await mountApp()
    expect(wrapper.find('[data-testid="tour"]').exists()).toBe(false)
    await wrapper.get('[data-testid="tour-open"]').trigger('click')
    expect(wrapper.get('[data-testid="tour"]').text()).toContain('1 of 6')
    expect(wrapper.get('[data-testid="tour-text"]').text()).toContain('1 socket + 1 CXL expander')
    // Next goes to the next section, and the tour moves with it.
    await wrapper.get('[data-testid="tour-next"]').trigger('click')
    await flushPromises()
    expect(wrapper.vm.$router.currentRoute.value.name).toBe('editor')
    expect(wrapper.get('[data-testid="tour"]').text()).toContain('2 of 6')
    expect(wrapper.get('[data-testid="tour-step-topologies"]').classes()).toContain('done')
    await wrapper.get('[data-testid="tour-close"]').trigger('click')
    expect(wrapper.find('[data-testid="tour"]').exists()).toBe(false)
  })
})
