import { expect, test, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { callApi } from './api'
import { e2eEnv } from './env'

// docs/screenshots belong to first-hour.spec.ts (the README's walk); these stay with the results.
const TOPOLOGY = '1s-cxl'
const WORKLOAD = 'kv-store'
const POLICIES = ['first-touch', 'numa-balancing-tiering']

test('builds an experiment with two policies, follows the runs to done, then finds and compares them', async ({
  page,
  request,
}) => {
  // Two short runs on a 2-core machine, plus the Compare view's series and heatmaps.
  test.setTimeout(180_000)
  page.on('pageerror', (e) => console.error(`page error: ${e.stack ?? e.message}`))

  // The presets and policies this flow uses must exist in this build.
  const topologies = await callApi(request, 'topology.presets', {})
  const workloads = await callApi(request, 'workload.presets', {})
  const policies = await callApi(request, 'policies.list', {})
  expect(topologies.map((t) => t.id)).toContain(TOPOLOGY)
  expect(workloads.map((w) => w.id)).toContain(WORKLOAD)
  for (const id of POLICIES) expect(policies.map((p) => p.id)).toContain(id)
  // A name no other spec uses against the same database, to find exactly these runs later.
  const name = `Flow ${Date.now().toString(36)}`

  await page.goto(e2eEnv('url'))
  await page.getByTestId('nav-experiments').click()
  await expect(page.getByTestId('experiments-page')).toBeVisible()

  await page.getByTestId('topology-choice').selectOption(`preset:${TOPOLOGY}`)
  await page.getByTestId('workload-source').selectOption(`preset:${WORKLOAD}`)
  await expect(page.getByTestId('workload-valid')).toBeVisible()
  // main computes the phase's hotness curve for the chart.
  await expect(page.getByTestId('hotness-caption').first()).toContainText('The hottest 10 %')
  for (const id of POLICIES) await page.getByTestId(`policy-${id}`).check()
  await expect(page.getByTestId('knob-form')).toHaveCount(2)
  await page.getByTestId('experiment-name').fill(name)
  // Short simulated time and 2 MiB pages, as the shipped examples: the runs finish in seconds.
  await page.locator('[data-path="durationS"] input').fill('2')
  await page.getByTestId('page-bytes').selectOption('2097152')
  await expect(page.getByTestId('run-blocker')).toHaveCount(0)

  // The page scrolls inside the app shell, so a tall window shows the whole builder.
  await page.setViewportSize({ width: 1360, height: 2000 })
  await page.screenshot({ path: test.info().outputPath('experiments.png') })
  await page.setViewportSize({ width: 1360, height: 900 })

  await page.getByTestId('run-button').click()
  await expect(page.getByTestId('queued-notice')).toContainText('Queued 2 runs')
  const started = await callApi(request, 'runs.list', { text: name })
  expect(started.map((r) => r.policyId).sort()).toEqual([...POLICIES].sort())
  // Queued together: both carry the same set tag.
  expect(started[0].tags).toEqual(started[1].tags)
  const ids = started.map((r) => r.id).sort((x, y) => x - y)

  await page.getByTestId('open-queue').click()
  await expect(page.getByTestId('queue-page')).toBeVisible()
  for (const id of ids) {
    const row = page.locator(`[data-testid="queue-row"][data-run-id="${id}"]`)
    await expect(row).toBeVisible()
    // First the host (so a slow or failed run reads as such), then the page, which must
    // follow from the events within a few seconds.
    await expect
      .poll(async () => (await callApi(request, 'runs.get', { id })).status, {
        timeout: 120_000,
        intervals: [250, 500, 1000],
      })
      .toBe('done')
    await expect(row).toHaveAttribute('data-status', 'done')
    await expect(row.getByTestId('queue-progress')).toHaveAttribute('aria-valuenow', '100')
  }
  await expect(page.getByTestId('live-charts')).toBeVisible()
  await page.screenshot({ path: test.info().outputPath('queue.png'), fullPage: true })

  // The archive has both, done.
  await page.getByTestId('nav-runs').click()
  await page.getByTestId('run-search').fill(name)
  // The search matches exactly these two; let the filter settle before selecting.
  await expect(page.getByTestId('run-row')).toHaveCount(2)
  for (const id of ids) {
    const row = page.locator(`[data-testid="run-row"][data-id="${id}"]`)
    await expect(row).toBeVisible()
    const box = row.getByTestId('run-select')
    await box.check()
    await expect(box).toBeChecked()
  }
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected')
  await page.getByTestId('compare-selected').click()

  const chart = page.getByTestId('overlay-chart')
  await expect(chart).toHaveAttribute('data-drawn', 'true')
  await expect(page.getByTestId('compared-run')).toHaveCount(2)
  // Two series drawn: the plot area holds two distinct saturated line colours, each over
  // hundreds of pixels (a 1.6 px line across ~1000 px of plot width), whatever colours they are.
  const colours = await lineColours(page, 'overlay-chart')
  expect(colours.length).toBeGreaterThanOrEqual(2)
  expect(colours[1].pixels).toBeGreaterThan(300)

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('compare-export-csv').click(),
  ])
  const csv = readFileSync((await download.path())!, 'utf8')
    .trimEnd()
    .split('\r\n')
  const series = await Promise.all(
    ids.map((id) => callApi(request, 'runs.series', { id, keys: ['throughputOpsPerS'] })),
  )
  const times = [...new Set(series.flatMap((s) => s[0].t))].sort((x, y) => x - y)
  expect(csv[0].split(',')[0]).toBe('t_s')
  // One header row, then one row per time point of either run.
  expect(csv).toHaveLength(times.length + 1)

  // After a reload (a new page load against the same database) the runs are still there.
  await page.reload()
  await page.getByTestId('nav-runs').click()
  await page.getByTestId('run-search').fill(name)
  for (const id of ids) {
    const row = page.locator(`[data-testid="run-row"][data-id="${id}"]`)
    await expect(row).toBeVisible()
    await expect(row.getByTestId('status-badge')).toHaveAttribute('data-status', 'done')
  }
})

/** The canvas API this check uses; the Node tsconfig has no DOM types. */
interface Canvas2d {
  width: number
  height: number
  clientWidth: number
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray }
  }
}

/**
 * Saturated colours in the plot area of the chart in `[data-testid=testId]` (36 px title band
 * and 64 px axis/legend band left out), most frequent first, quantised to 32 levels per channel
 * so antialiased edges fold into their line's colour. Greys (axes, grid, text) are skipped.
 */
async function lineColours(page: Page, testId: string) {
  const canvas = page.getByTestId(testId).locator('canvas').first()
  await expect(canvas).toBeVisible()
  return canvas.evaluate((el) => {
    const c = el as unknown as Canvas2d
    const dpr = c.width / c.clientWidth
    const top = Math.round(36 * dpr)
    const bottom = c.height - Math.round(64 * dpr)
    const img = c.getContext('2d').getImageData(0, top, c.width, bottom - top).data
    const counts = new Map<string, number>()
    for (let p = 0; p < img.length; p += 4) {
      if (img[p + 3] < 200) continue
      const [r, g, b] = [img[p], img[p + 1], img[p + 2]]
      if (Math.max(r, g, b) - Math.min(r, g, b) < 60) continue
      const key = [r, g, b].map((v) => v >> 5).join(',')
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    return [...counts.entries()]
      .map(([colour, pixels]) => ({ colour, pixels }))
      .sort((a, b) => b.pixels - a.pixels)
  })
}
