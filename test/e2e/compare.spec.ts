import { expect, test, request as playwrightRequest } from '@playwright/test'
import { readFileSync } from 'node:fs'
import type { RunRecord } from '../../shared/runs'
import { callApi } from './api'
import { e2eEnv } from './env'
import { countColourPixels, exampleExperiment, runAndWait } from './runs-seed'
import { runColor } from '../../renderer/src/features/compare/model/runColors'

// docs/screenshots belong to first-hour.spec.ts (the README's walk); these stay with the results.
let runs: RunRecord[] = []

test.beforeAll(async () => {
  test.setTimeout(120_000)
  const request = await playwrightRequest.newContext()
  runs = await runAndWait(request, [
    // The oracle migrates from the first epoch, so its line parts from first-touch's at once.
    { experiment: exampleExperiment('kv-store-first-touch.json', 'KV first-touch (e2e)', 3) },
    { experiment: exampleExperiment('kv-store-oracle.json', 'KV oracle (e2e)', 3) },
  ])
  await request.dispose()
})

function compareUrl(ids: number[]): string {
  const url = new URL(e2eEnv('url'))
  url.hash = `#/compare?runs=${ids.join(',')}`
  return url.toString()
}

test('draws both runs on the overlay chart, exports the series as CSV and survives a reload', async ({
  page,
  request,
}) => {
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
  const ids = runs.map((r) => r.id)
  await page.goto(compareUrl(ids))
  const chart = page.getByTestId('overlay-chart')
  await expect(chart).toHaveAttribute('data-drawn', 'true')
  await expect(page.getByTestId('compared-run')).toHaveCount(2)

  // Pixels of each run's colour inside the plot area (the legend below it is excluded):
  // a 1.6 px line across ~1000 px of plot width gives well over 300 pixels per run.
  const counts = await countColourPixels(page, 'overlay-chart', [runColor(0), runColor(1)], {
    top: 36,
    bottom: 64,
  })
  expect(counts[0]).toBeGreaterThan(300)
  expect(counts[1]).toBeGreaterThan(300)

  // First-touch against the oracle: the oracle is a bound, never the winner, and the verdict
  // says how close the real policy comes to it, from the two runs' own throughputs.
  const [a, b] = runs
  const [ft, oracle] = a.policyId === 'oracle' ? [b, a] : [a, b]
  const share = Math.round(
    (ft.summary!.throughputOpsPerS / oracle.summary!.throughputOpsPerS) * 100,
  )
  await expect(page.getByTestId('verdict')).toHaveText(
    `first-touch is the only real policy here; oracle bound: first-touch reaches ${share} % of its throughput`,
  )

  // CSV of the overlaid series: one row per time point, each run's value at that time.
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
  expect(csv[0]).toContain(`${a.policyId}: `)
  expect(csv).toHaveLength(times.length + 1)
  const firstRow = csv[1].split(',').map(Number)
  expect(firstRow).toEqual([times[0], series[0][0].values[0], series[1][0].values[0]])

  // A reload keeps the comparison (it lives in the URL) and redraws it.
  await page.reload()
  await expect(page.getByTestId('compared-run')).toHaveCount(2)
  await expect(page.getByTestId('compared-run').first()).toHaveAttribute('data-id', String(ids[0]))
  await expect(page.getByTestId('overlay-chart')).toHaveAttribute('data-drawn', 'true')

  // Heatmaps and per-node occupancy are drawn for both runs once scrolled to (they load lazily).
  await page.getByText('Memory per node').scrollIntoViewIfNeeded()
  for (const id of ids)
    await expect(page.getByTestId(`occupancy-${id}`)).toHaveAttribute('data-drawn', 'true')
  await page.getByText('Placement heatmaps').scrollIntoViewIfNeeded()
  for (const id of ids)
    await expect(page.getByTestId(`heatmap-${id}`)).toHaveAttribute('data-drawn', 'true')

  // A viewport tall enough for the whole page: the app scrolls inside its content pane.
  await page.setViewportSize({ width: 1360, height: 3000 })
  await page.getByTestId('compare-view').evaluate((el) => el.scrollIntoView())
  await expect(page.getByTestId('overlay-chart')).toHaveAttribute('data-drawn', 'true')
  await page.screenshot({ path: test.info().outputPath('compare.png') })
})

test('exports a chart as PNG and as SVG', async ({ page }) => {
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
  await page.goto(compareUrl(runs.map((r) => r.id)))
  await expect(page.getByTestId('overlay-chart')).toHaveAttribute('data-drawn', 'true')
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('overlay-chart-png').click(),
  ])
  const pngBytes = readFileSync((await png.path())!)
  expect(pngBytes.subarray(1, 4).toString()).toBe('PNG')
  const [svg] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('overlay-chart-svg').click(),
  ])
  const svgText = readFileSync((await svg.path())!, 'utf8')
  expect(svgText.startsWith('<svg')).toBe(true)
  expect(svgText).toContain(`stroke="${runColor(0)}"`)
  expect(svgText).toContain(`stroke="${runColor(1)}"`)
})
