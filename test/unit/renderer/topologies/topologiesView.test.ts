// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import TopologiesView from '../../../../renderer/src/features/topologies/TopologiesView.vue'
import { clientKey } from '../../../../renderer/src/api/provide'
import { cannedAnalyze, presets, twoSocketCxl } from '../helpers/fixtures'
import { setupStores } from '../helpers/setup-app'

async function mountView() {
  const { client, pinia } = setupStores({ presets, analyze: cannedAnalyze })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      {
        path: '/topologies/:kind(preset|saved)?/:id?',
        name: 'topologies',
        component: TopologiesView,
      },
      // The "Edit" and "Use in an experiment" links point here.
      { path: '/editor', name: 'editor', component: { template: '<p />' } },
      { path: '/experiments', name: 'experiments', component: { template: '<p />' } },
    ],
  })
  await router.push('/topologies')
  const wrapper = mount(
    { template: '<RouterView />' },
    {
      global: { plugins: [pinia, router], provide: { [clientKey as symbol]: client } },
    },
  )
  await flushPromises()
  return { wrapper, router, client }
}

/** Chooses `text` as file `name` in the import input, as the file dialog would. */
async function chooseFile(
  wrapper: Awaited<ReturnType<typeof mountView>>['wrapper'],
  name: string,
  text: string,
) {
  const input = wrapper.get('[data-testid="import-input"]')
  Object.defineProperty(input.element, 'files', {
    value: [new File([text], name, { type: 'application/json' })],
    configurable: true,
  })
  await input.trigger('change')
  await flushPromises()
}

describe('TopologiesView', () => {
  it('opens the first preset and shows its tiers as sysfs nodelists', async () => {
    const { wrapper, router } = await mountView()
    expect(router.currentRoute.value.fullPath).toBe('/topologies/preset/2s-cxl')
    expect(wrapper.findAll('[data-testid="preset-item"]').map((a) => a.text())).toEqual([
      '2S + CXL',
      'One socket',
    ])
    const rows = wrapper.findAll('[data-testid="tier-row"]')
    // Fixture tiers: 4 → nodes [0, 1] → "0-1"; 7 → [2] → "2".
    expect(
      rows.map((r) => [r.attributes('data-tier'), r.get('[data-testid="tier-nodelist"]').text()]),
    ).toEqual([
      ['4', '0-1'],
      ['7', '2'],
    ])
    expect(wrapper.findAll('[data-testid="node-row"]')).toHaveLength(3)
    expect(wrapper.get('[data-testid="distance-matrix"]').text()).toContain('node distances:')
  })

  it('lists each field error of a refused import with its path', async () => {
    const { wrapper } = await mountView()
    const broken = {
      ...twoSocketCxl,
      components: [
        { ...twoSocketCxl.components[0], cores: 0 },
        { ...twoSocketCxl.components[2], memory: { capacityGiB: -1 } },
      ],
      links: [],
    }
    await chooseFile(wrapper, 'broken.json', JSON.stringify(broken))
    const box = wrapper.get('[data-testid="import-errors"]')
    expect(box.text()).toContain('broken.json was not imported')
    const paths = box.findAll('[data-testid="field-issue-path"]').map((p) => p.text())
    // cores 0 < 1; capacity -1 < 0; and the four missing performance numbers of components[1].
    expect(paths).toEqual([
      'components[0].cores',
      'components[1].memory.capacityGiB',
      'components[1].memory.readLatencyNs',
      'components[1].memory.writeLatencyNs',
      'components[1].memory.readBandwidthGBps',
      'components[1].memory.writeBandwidthGBps',
    ])
    expect(box.get('[data-testid="field-issue-message"]').text()).toContain('at least 1 core')
    expect(wrapper.find('[data-testid="saved-item"]').exists()).toBe(false)
  })

  it('selects a valid import and lists it among the saved topologies', async () => {
    const { wrapper, router } = await mountView()
    await chooseFile(wrapper, 'good.json', JSON.stringify({ ...twoSocketCxl, name: 'Lab box' }))
    expect(wrapper.findAll('[data-testid="saved-item"]').map((s) => s.text())).toEqual([
      expect.stringContaining('Lab box'),
    ])
    expect(router.currentRoute.value.fullPath).toBe('/topologies/saved/1')
    // A saved machine offers its next steps: edit it, or run an experiment on it.
    expect(wrapper.get('[data-testid="topology-edit"]').attributes('href')).toBe('/editor?id=1')
    expect(wrapper.get('[data-testid="topology-use"]').attributes('href')).toBe(
      '/experiments?topology=saved:1',
    )
    expect(wrapper.get('[data-testid="topology-name"]').text()).toBe('Lab box')
    expect(wrapper.find('[data-testid="import-errors"]').exists()).toBe(false)
  })
})
