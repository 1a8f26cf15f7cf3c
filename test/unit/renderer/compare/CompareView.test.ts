// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createFakeRunsClient } from '../runs/fakeRunsClient'
import { mountAt } from '../runs/mountFeature'
import { compareClient } from './compareFixtures'

let mounted: VueWrapper | null = null
afterEach(() => {
  mounted?.unmount()
  mounted = null
  vi.unstubAllGlobals()
})

/** An IntersectionObserver that reports every observed element in view at once (as on a tall screen). */
class AllVisible {
  constructor(private readonly callback: (entries: Array<{ isIntersecting: boolean }>) => void) {}
  observe(): void {
    this.callback([{ isIntersecting: true }])
  }
  disconnect(): void {}
  unobserve(): void {}
}

async function open(path: string, client = compareClient()) {
  const m = await mountAt(client, path)
  mounted = m.wrapper
  return { ...m, client }
}

describe('CompareView', () => {
  it('says how to pick runs when none are in the URL', async () => {
    const { wrapper } = await open('/compare', createFakeRunsClient({ runs: [] }))
    expect(wrapper.get('[data-testid="compare-empty"]').text()).toContain('press Compare')
  })

  it('shows the verdict, deltas, the diff and a chart per view for two runs', async () => {
    vi.stubGlobal('IntersectionObserver', AllVisible)
    const { wrapper } = await open('/compare?runs=1,2')
    expect(wrapper.get('[data-testid="verdict"]').text()).toBe(
      'numa-balancing-tiering wins: +23 % throughput vs first-touch; hit ratio 0.91 vs 0.42; mean latency 180 vs 251 ns; 1.2 GiB promoted',
    )
    const thr = wrapper.get('[data-testid="summary-row"][data-key="throughputOpsPerS"]')
    const cells = thr.findAll('td')
    expect(cells[0].attributes('data-verdict')).toBe('same')
    expect(cells[1].attributes('data-verdict')).toBe('better')
    expect(cells[1].text()).toContain('+23 %')
    const lat = wrapper.get('[data-testid="summary-row"][data-key="meanLatencyNs"]')
    expect(lat.findAll('td')[1].attributes('data-verdict')).toBe('better')
    expect(
      wrapper.findAll('[data-testid="diff-row"]').map((r) => r.attributes('data-path')),
    ).toEqual(['policy.id', 'policy.params', 'policy.params.hotThresholdMs'])
    // Overlay + occupancy for both runs + heatmaps for both: ECharts itself is stubbed here.
    for (const id of ['overlay-chart', 'occupancy-1', 'occupancy-2', 'heatmap-1', 'heatmap-2']) {
      expect(wrapper.find(`[data-testid="${id}"]`).exists(), id).toBe(true)
    }
  })

  it('draws heatmaps and occupancy only once they are scrolled near', async () => {
    // happy-dom's IntersectionObserver never reports anything: nothing below the fold is in view.
    const { wrapper } = await open('/compare?runs=1,2')
    expect(wrapper.find('[data-testid="overlay-chart"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="heatmap-1"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="occupancy-1"]').exists()).toBe(false)
    // Two occupancy and two heatmap placeholders.
    expect(wrapper.findAll('[data-testid="lazy-placeholder"]')).toHaveLength(4)
  })

  it('pins another baseline through the URL and measures against it', async () => {
    const { wrapper, router } = await open('/compare?runs=1,2')
    await wrapper.findAll('[data-testid="pin-baseline"]')[1].trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ runs: '1,2', baseline: '2' })
    const cells = wrapper
      .get('[data-testid="summary-row"][data-key="throughputOpsPerS"]')
      .findAll('td')
    expect(cells[0].attributes('data-verdict')).toBe('worse')
    // Baseline tiering wins: the runner-up is first-touch.
    expect(wrapper.get('[data-testid="verdict"]').text()).toMatch(
      /^numa-balancing-tiering wins: \+23 % throughput vs first-touch/,
    )
  })

  it('takes first-touch as the baseline when the URL names none, whatever the order', async () => {
    const { wrapper } = await open('/compare?runs=2,1')
    const cells = wrapper
      .get('[data-testid="summary-row"][data-key="throughputOpsPerS"]')
      .findAll('td')
    // Run 2 (tiering) is measured against run 1 (first-touch), the baseline.
    expect(cells[1].attributes('data-verdict')).toBe('same')
    expect(cells[0].attributes('data-verdict')).toBe('better')
  })

  it('adds a series from the picker grouped by the metric catalogue, and shows values at the cursor', async () => {
    const { wrapper } = await open('/compare?runs=1,2')
    const picker = wrapper.get('[data-testid="series-picker"]')
    expect(picker.findAll('summary').map((s) => s.text())).toEqual([
      'Run (2)',
      'Processes (1)',
      'Nodes (2)',
    ])
    await picker.get('[data-key="process.kv.meanLatencyNs"]').setValue(true)
    const cursor = wrapper.get('[data-testid="cursor"]')
    await cursor.setValue('1.5')
    const table = wrapper.get('[data-testid="cursor-values"]')
    expect(table.get('[data-key="throughputOpsPerS"]').text()).toContain('300')
    expect(table.get('[data-key="throughputOpsPerS"]').text()).toContain('369')
    expect(table.get('[data-key="process.kv.meanLatencyNs"]').text()).toContain('180 ns')
  })

  it('adds and removes runs through the URL', async () => {
    const { wrapper, router, client } = await open('/compare?runs=1,2')
    // The archive is asked for only when the picker opens.
    expect(client.calls.some((c) => c.method === 'runs.list')).toBe(false)
    await wrapper.get('[data-testid="add-run"]').trigger('focus')
    await flushPromises()
    await wrapper.get('[data-testid="add-run"]').setValue('3')
    await flushPromises()
    expect(router.currentRoute.value.query.runs).toBe('1,2,3')
    expect(wrapper.findAll('[data-testid="compared-run"]')).toHaveLength(3)
    await wrapper.get('[aria-label="Remove run 1"]').trigger('click')
    await flushPromises()
    // Run 1 was the baseline: the first remaining run takes over.
    expect(router.currentRoute.value.query).toEqual({ runs: '2,3' })
    expect(
      wrapper.findAll('[data-testid="compared-run"]').map((c) => c.attributes('data-id')),
    ).toEqual(['2', '3'])
  })

  it('reports a run that is gone and keeps comparing the rest', async () => {
    const { wrapper } = await open('/compare?runs=1,77')
    expect(wrapper.text()).toContain('Run #77 could not be loaded: There is no run with id 77.')
    expect(wrapper.get('[data-testid="compare-one"]').text()).toContain('Add another run')
  })
})
