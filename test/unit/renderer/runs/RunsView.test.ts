// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createFakeRunsClient, makeExperiment, makeRun, makeSeries } from './fakeRunsClient'
import { mountAt } from './mountFeature'

// happy-dom does no layout: give the table's scroller the 640 × 1200 px box a window would.
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight')
const clientWidth = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth')
beforeAll(() => {
  const box = (px: number) => ({
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'run-scroller' ? px : 0
    },
  })
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', box(640))
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', box(1200))
})
afterAll(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight)
  if (clientWidth) Object.defineProperty(HTMLElement.prototype, 'clientWidth', clientWidth)
})

let mounted: VueWrapper | null = null
afterEach(() => {
  mounted?.unmount()
  mounted = null
  vi.restoreAllMocks()
})

function client(n = 3) {
  return createFakeRunsClient({
    runs: Array.from({ length: n }, (_, i) =>
      makeRun(i + 1, { name: `run ${i + 1}`, policyId: i % 2 ? 'tpp' : 'first-touch' }),
    ),
  })
}

async function open(c = client()) {
  const m = await mountAt(c, '/runs')
  mounted = m.wrapper
  return m
}

const rowIds = (w: VueWrapper) =>
  w.findAll('[data-testid="run-row"]').map((r) => Number(r.attributes('data-id')))

describe('RunsView', () => {
  it('says what to do when the archive is empty', async () => {
    const { wrapper } = await open(createFakeRunsClient({ runs: [] }))
    expect(wrapper.get('[data-testid="runs-empty"]').text()).toContain('tierlab run FILE')
  })

  it('renders only the rows in view for 10,000 runs, and filters them by search', async () => {
    const { wrapper } = await open(client(10_000))
    expect(wrapper.get('[data-testid="runs-count"]').text()).toBe('10,000 runs')
    // A 640 px viewport of 32 px rows shows 20, plus 12 overscan below: far fewer than 10,000.
    const shown = rowIds(wrapper)
    expect(shown.length).toBeGreaterThan(10)
    expect(shown.length).toBeLessThan(60)
    await wrapper.get('[data-testid="run-search"]').setValue('run 9999')
    expect(rowIds(wrapper)).toEqual([9999])
    expect(wrapper.get('[data-testid="runs-count"]').text()).toBe('1 of 10,000 runs')
    await wrapper.get('[data-testid="run-search"]').setValue('no such run')
    expect(wrapper.find('[data-testid="runs-no-match"]').exists()).toBe(true)
  })

  it('sorts by a column header click', async () => {
    const { wrapper } = await open()
    expect(rowIds(wrapper)).toEqual([3, 2, 1])
    await wrapper.get('[data-testid="sort-name"]').trigger('click')
    expect(rowIds(wrapper)).toEqual([1, 2, 3])
    await wrapper.get('[data-testid="sort-name"]').trigger('click')
    expect(rowIds(wrapper)).toEqual([3, 2, 1])
    await wrapper.get('[data-testid="filter-policy"]').setValue('tpp')
    expect(rowIds(wrapper)).toEqual([2])
  })

  it('opens Compare with the selected runs in table order', async () => {
    const { wrapper, router } = await open()
    const boxes = wrapper.findAll('[data-testid="run-select"]')
    await boxes[2].setValue(true) // run 1
    await boxes[0].setValue(true) // run 3
    expect(wrapper.get('[data-testid="selection-count"]').text()).toBe('2 selected')
    await wrapper.get('[data-testid="compare-selected"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/compare')
    expect(router.currentRoute.value.query.runs).toBe('3,1')
  })

  it('deletes only after the confirmation', async () => {
    const c = client()
    const { wrapper } = await open(c)
    await wrapper.findAll('[data-testid="run-select"]')[0].setValue(true)
    await wrapper.get('[data-testid="delete-selected"]').trigger('click')
    expect(c.calls.some((x) => x.method === 'runs.delete')).toBe(false)
    await wrapper.get('[data-testid="confirm-delete-no"]').trigger('click')
    expect(wrapper.find('[data-testid="confirm-delete"]').exists()).toBe(false)
    await wrapper.get('[data-testid="delete-selected"]').trigger('click')
    await wrapper.get('[data-testid="confirm-delete-yes"]').trigger('click')
    await flushPromises()
    expect(c.calls.filter((x) => x.method === 'runs.delete').map((x) => x.input)).toEqual([
      { ids: [3] },
    ])
    expect(rowIds(wrapper)).toEqual([2, 1])
  })

  it('labels the headline metrics from the catalogue and shows what an older run lacks as —', async () => {
    const { wrapper } = await open()
    await wrapper.findAll('[data-testid="run-row"]')[0].trigger('click')
    const details = wrapper.get('[data-testid="run-details"]')
    // makeRun's summary has throughput and hit ratio only, like a run of an older engine.
    expect(details.get('[data-metric="throughputOpsPerS"]').text()).toMatch(/ ops\/s$/)
    expect(details.get('[data-metric="topTierHitRatio"]').text()).toBe('0.5')
    expect(details.get('[data-metric="p99LatencyNs"]').text()).toBe('—')
    expect(details.text()).toContain('p99 latency')
  })

  it('edits tags and notes in the details panel and reruns with changes', async () => {
    const c = client()
    const { wrapper, router } = await open(c)
    await wrapper.findAll('[data-testid="run-row"]')[1].trigger('click') // run 2
    const details = wrapper.get('[data-testid="run-details"]')
    expect(details.attributes('data-id')).toBe('2')
    const tags = wrapper.get('[data-testid="tags-input"]')
    await tags.setValue('nightly, cxl sweep')
    await tags.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(c.calls.filter((x) => x.method === 'runs.setTags').map((x) => x.input)).toEqual([
      { id: 2, tags: ['nightly', 'cxl sweep'] },
    ])
    // The table shows the saved tags; a blur with nothing new saves nothing more.
    expect(wrapper.get('[data-testid="run-row"][data-id="2"] .tags').text()).toBe(
      'nightlycxl sweep',
    )
    await tags.trigger('blur')
    expect(c.calls.filter((x) => x.method === 'runs.setTags')).toHaveLength(1)

    await wrapper.get('[data-testid="notes-input"]').setValue('hot set fits in DRAM')
    await wrapper.get('[data-testid="save-notes"]').trigger('click')
    await flushPromises()
    expect(c.runs().find((r) => r.id === 2)!.notes).toBe('hot set fits in DRAM')

    await wrapper.get('[data-testid="rerun"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/experiments?from=2')
  })

  it('shows live progress of a running run', async () => {
    const c = createFakeRunsClient({ runs: [makeRun(1, { status: 'queued', summary: null })] })
    const { wrapper } = await open(c)
    // 1.2 s of 4 s simulated → 30 %.
    c.emit({ type: 'run-progress', runId: 1, epoch: 120, simulatedS: 1.2, durationS: 4, etaS: 2 })
    await flushPromises()
    expect(wrapper.get('[data-testid="status-badge"]').attributes('data-status')).toBe('running')
    expect(wrapper.get('[data-testid="run-progress"]').text()).toBe('30 %')
  })

  it('downloads the summary CSV of the selection', async () => {
    const { wrapper } = await open()
    const texts: string[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      void (blob as Blob).text().then((t) => texts.push(t))
      return 'blob:fake'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    await wrapper.findAll('[data-testid="run-select"]')[1].setValue(true) // run 2
    await wrapper.get('[data-testid="export-csv"]').trigger('click')
    await flushPromises()
    const lines = texts[0].trimEnd().split('\r\n')
    expect(lines).toHaveLength(2)
    expect(lines[1].startsWith('2,run 2,done,tpp,')).toBe(true)
  })

  it("shows the focused run's knobs and a chart of its headline series below the table", async () => {
    const c = createFakeRunsClient({
      runs: [
        makeRun(1, {
          name: 'KV [policy.params.rateLimitMBps=256]',
          policyId: 'numa-balancing-tiering',
        }),
      ],
      details: {
        1: {
          experiment: makeExperiment({
            policy: { id: 'numa-balancing-tiering', params: { rateLimitMBps: 256 } },
          }),
        },
      },
      series: { 1: [makeSeries('throughputOpsPerS', 'Throughput', 'ops/s', [0, 1], [10, 12])] },
    })
    const { wrapper } = await open(c)
    // The swept value is a column of its own, and every cell carries its full text on hover.
    const knobCell = wrapper.get('[data-testid="run-row"][data-id="1"] [data-col="knobs"]')
    expect(knobCell.text()).toBe('rateLimitMBps=256')
    expect(
      wrapper.get('[data-testid="run-row"][data-id="1"] [data-col="name"]').attributes('title'),
    ).toBe('KV [policy.params.rateLimitMBps=256]')
    await wrapper.get('[data-testid="run-row"]').trigger('click')
    await flushPromises()
    const knobs = wrapper.get('[data-testid="run-knobs"]').text()
    expect(knobs).toContain('rateLimitMBps256')
    expect(knobs).toContain('page size4.0 KiB')
    expect(wrapper.find('[data-testid="run-chart"]').exists()).toBe(true)
    expect(c.calls.filter((x) => x.method === 'runs.series')).toHaveLength(1)
    // This run has no engine warnings: no warning box.
    expect(wrapper.find('[data-testid="run-warnings"]').exists()).toBe(false)
  })

  it("shows the engine's warnings about a run in its details", async () => {
    const warning =
      'the closed loop (throughput, bandwidth and loaded latency) did not converge in 3 epoch(s)'
    const c = createFakeRunsClient({
      runs: [makeRun(1, { name: 'saturated' })],
      details: { 1: { warnings: [warning] } },
    })
    const { wrapper } = await open(c)
    await wrapper.get('[data-testid="run-row"]').trigger('click')
    await flushPromises()
    const box = wrapper.get('[data-testid="run-warnings"]')
    expect(box.text()).toContain('1 engine warning(s) about this result')
    expect(box.findAll('li').map((li) => li.text())).toEqual([warning])
  })
})
