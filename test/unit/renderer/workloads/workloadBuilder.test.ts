// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import WorkloadBuilder from '../../../../renderer/src/features/experiments/workloads/components/WorkloadBuilder.vue'
import { useWorkloadsStore } from '../../../../renderer/src/features/experiments/workloads/workloadsStore'
import { clientKey } from '../../../../renderer/src/api/provide'
import { createTestClient, kvWorkload, setupTestStores } from '../experiments/test-client'

async function mountBuilder() {
  const client = createTestClient({
    handlers: {
      'workload.save': ({ workload }) => ({
        id: 3,
        name: (workload as { name: string }).name,
        createdAt: '',
        updatedAt: '',
        workload: workload as typeof kvWorkload,
      }),
    },
  })
  const { pinia } = setupTestStores(client)
  const store = useWorkloadsStore()
  await store.load()
  const wrapper = mount(WorkloadBuilder, {
    global: {
      plugins: [pinia],
      provide: { [clientKey as symbol]: client },
      // ECharts has no 2D context in happy-dom (toolchain.md §4).
      stubs: { Echarts: true },
    },
  })
  await flushPromises()
  return { wrapper, store, client }
}

describe('WorkloadBuilder', () => {
  it('starts from the first preset and shows its regions and phases', async () => {
    const { wrapper } = await mountBuilder()
    expect(wrapper.findAll('[data-testid="region-row"]')).toHaveLength(2)
    expect(wrapper.findAll('[data-testid="access-row"]')).toHaveLength(2)
    expect(wrapper.get('[data-testid="workload-valid"]').text()).toBe('Valid')
  })

  it('shows the schema message under the field the user emptied', async () => {
    const { wrapper } = await mountBuilder()
    const field = wrapper.get('[data-path="regions[1].sizeGiB"]')
    await field.get('input').setValue('')
    // The schema's own message for sizeGiB (shared/formats/workload.ts).
    expect(field.get('[data-testid="field-message"]').text()).toBe('must be a number of GiB')
    expect(wrapper.get('[data-testid="workload-invalid"]').text()).toBe('1 problem')
    expect(wrapper.get('[data-testid="save-workload"]').attributes('disabled')).toBeDefined()
  })

  it('asks main for each phase preview and states the hottest-10 % share', async () => {
    vi.useFakeTimers()
    try {
      const { wrapper, client } = await mountBuilder()
      await wrapper.get('[data-path="processes[0].threads"] input').setValue('8')
      await vi.advanceTimersByTimeAsync(300)
      await flushPromises()
      const asked = client.callsOf('workload.preview')
      expect(asked.map((a) => [a.process, a.phase, a.points])).toEqual([['server', 0, 51]])
      // The test host answers share = sqrt(fraction); sqrt(0.1) = 0.316 → 32 %.
      expect(wrapper.get('[data-testid="hotness-caption"]').text()).toBe(
        'The hottest 10 % of the memory this phase touches takes 32 % of its accesses.',
      )
    } finally {
      vi.useRealTimers()
    }
  })

  it('saves the edited workload to the library', async () => {
    const { wrapper, client, store } = await mountBuilder()
    await wrapper.get('[data-testid="workload-name"]').setValue('KV, bigger')
    await wrapper.get('[data-testid="save-workload"]').trigger('click')
    await flushPromises()
    const saved = client.callsOf('workload.save')
    expect(saved).toHaveLength(1)
    expect(saved[0].id).toBeUndefined()
    expect((saved[0].workload as { name: string }).name).toBe('KV, bigger')
    expect(store.origin).toEqual({ kind: 'saved', id: 3 })
    expect(store.dirty).toBe(false)
  })

  it("shows each pattern kind's parameters, and edits write into the draft", async () => {
    const { wrapper, store } = await mountBuilder()
    const pattern = () => wrapper.findAll('[data-testid="pattern-fields"]')[0]
    const labels = () =>
      pattern()
        .findAll('label')
        .map((l) => l.text().replace(/\s+/g, ' ').trim())
        .slice(1) // the kind selector's own label
    const firstAccess = () => store.draft.processes[0].phases[0].accesses[0]
    expect(labels()).toEqual(['Skew s', 'Hot run'])
    await pattern().get('[data-testid="pattern-kind"]').setValue('hotset')
    expect(firstAccess().pattern.kind).toBe('hotset')
    expect(labels()).toEqual(['Hot fraction', 'Hot probability', 'Hot run'])
    await pattern().get('[data-testid="pattern-kind"]').setValue('moving-window')
    expect(labels()).toEqual(['Window width', 'Period'])
    const path = 'processes[0].phases[0].accesses[0].pattern.periodS'
    await wrapper.get(`[data-path="${path}"]`).get('input').setValue('7')
    expect(firstAccess().pattern).toMatchObject({ kind: 'moving-window', periodS: 7 })
    await pattern().get('[data-testid="pattern-kind"]').setValue('uniform')
    expect(labels()).toEqual([])
  })
})
