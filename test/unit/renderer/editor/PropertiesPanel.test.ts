// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import PropertiesPanel from '../../../../renderer/src/features/editor/components/PropertiesPanel.vue'
import { useEditorStore } from '../../../../renderer/src/features/editor/editorStore'
import { clientKey } from '../../../../renderer/src/api/provide'
import type { FakeClient } from '../../../../renderer/src/api/fake-client'
import { setupEditorStores, twoSocketsOneCxl } from './editorFixtures'

let pinia: Pinia
let client: FakeClient

beforeEach(() => {
  ;({ pinia, client } = setupEditorStores())
})

function mountPanel() {
  return mount(PropertiesPanel, {
    global: { plugins: [pinia], provide: { [clientKey as symbol]: client } },
  })
}

describe('PropertiesPanel', () => {
  it('shows the selected component with a unit on every field', async () => {
    const store = useEditorStore()
    store.load(twoSocketsOneCxl().topology)
    store.setSelection({ components: ['c0'], links: [] })
    const wrapper = mountPanel()
    await wrapper.vm.$nextTick()
    const capacity = wrapper.get('[data-testid="field-memory.capacityGiB"]')
    expect((capacity.element as HTMLInputElement).value).toBe('256')
    const units = wrapper.findAll('.prop-field').map((f) => f.find('.prop-unit').text())
    expect(units.every((u) => u.length > 0)).toBe(true)
    expect(units).toContain('GiB')
    expect(units).toContain('GB/s')
  })

  it('edits the store and shows the schema message under the field that is wrong', async () => {
    const store = useEditorStore()
    store.load(twoSocketsOneCxl().topology)
    store.setSelection({ components: ['c0'], links: [] })
    const wrapper = mountPanel()
    await wrapper.vm.$nextTick()
    const capacity = wrapper.get('[data-testid="field-memory.capacityGiB"]')
    await capacity.setValue('-4')
    const c0 = store.topology.components[2]
    expect('memory' in c0 && c0.memory.capacityGiB).toBe(-4)
    const error = wrapper.get('[data-testid="field-error-memory.capacityGiB"]')
    expect(error.text()).toMatch(/0 or more GiB/)
    // Other fields stay clean.
    expect(wrapper.findAll('[data-testid^="field-error-"]')).toHaveLength(1)

    await capacity.setValue('')
    expect(wrapper.get('[data-testid="field-error-memory.capacityGiB"]').text()).toMatch(/missing/)
    await capacity.setValue('512')
    expect(wrapper.find('[data-testid="field-error-memory.capacityGiB"]').exists()).toBe(false)
  })

  it('edits a link and offers the derived bandwidth when none is given', async () => {
    const store = useEditorStore()
    store.load(twoSocketsOneCxl().topology)
    store.setSelection({ components: [], links: [1] })
    const wrapper = mountPanel()
    await wrapper.vm.$nextTick()
    const bw = wrapper.get('[data-testid="field-bandwidthGBps"]')
    // Gen5 x8 = 8 × 32 × 128/130 ÷ 8 = 31.5 GB/s
    expect(bw.attributes('placeholder')).toBe('derived: 31.5')
    await wrapper.get('[data-testid="field-lanes"]').setValue('')
    // Without lanes and without bandwidth the link cannot be sized.
    expect(wrapper.get('[data-testid="field-error-bandwidthGBps"]').text()).toMatch(
      /generation and lanes/,
    )
    await wrapper.get('[data-testid="field-lanes"]').setValue('16')
    expect(store.topology.links[1].lanes).toBe(16)
  })
})
