import {
  expect,
  test,
  request as playwrightRequest,
  type APIRequestContext,
} from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { RunRecord } from '../../shared/runs'
import { callApi } from './api'
import { e2eEnv } from './env'
import { exampleExperiment } from './runs-seed'

const screenshotDir = join(import.meta.dirname, '..', '..', 'docs', 'screenshots')
let oneKnob: RunRecord[] = []
let twoKnobs: RunRecord[] = []

async function waitDone(request: APIRequestContext, runs: RunRecord[]): Promise<RunRecord[]> {
  const deadline = Date.now() + 150_000
  const out: RunRecord[] = []
  for (const run of runs) {
    for (;;) {
      const r = await callApi(request, 'runs.get', { id: run.id })
      if (r.status === 'done') {
        out.push(r)
        break
      }
      if (r.status !== 'queued' && r.status !== 'running')
        throw new Error(`run ${run.id} ended ${r.status}: ${r.error}`)
      if (Date.now() > deadline) throw new Error(`run ${run.id} still ${r.status}`)
      await new Promise((res) => setTimeout(res, 250))
    }
  }
  return out
}

test.beforeAll(async () => {
  test.setTimeout(180_000)
  const request = await playwrightRequest.newContext()
  const experiment = (name: string) => exampleExperiment('kv-store-numa-tiering.json', name, 2)
  // One knob × 2 replicates (a line with CI bands), and a 2 × 2 grid (a heatmap).
  oneKnob = await callApi(request, 'runs.sweep', {
    experiment: experiment('Threshold sweep (e2e)'),
    grid: [{ knob: 'policy.params.hotThresholdMs', values: [10, 1000, 60000] }],
    replicates: 2,
  })
  twoKnobs = await callApi(request, 'runs.sweep', {
    experiment: experiment('Threshold × rate sweep (e2e)'),
    grid: [
      { knob: 'policy.params.hotThresholdMs', values: [10, 5000] },
      { knob: 'policy.params.rateLimitMBps', values: [16, 65536] },
    ],
  })
  oneKnob = await waitDone(request, oneKnob)
  twoKnobs = await waitDone(request, twoKnobs)
  await request.dispose()
})

function sweepsUrl(): string {
  const url = new URL(e2eEnv('url'))
  url.hash = '#/sweeps'
  return url.toString()
}

/** Non-white, opaque pixels of the chart's canvas: something was drawn. */
async function inkPixels(page: import('@playwright/test').Page, testId: string) {
  // Summed over the chart's canvases: ECharts may draw a series on a layer of its own.
  return page.getByTestId(testId).evaluate((root) => {
    let n = 0
    for (const c of root.querySelectorAll('canvas')) {
      const img = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      for (let p = 0; p < img.length; p += 4)
        if (img[p + 3] > 200 && (img[p] < 230 || img[p + 1] < 230 || img[p + 2] < 230)) n++
    }
    return n
  })
}

test('one knob: a line with CI bands; clicking a value opens its replicates in Compare', async ({
  page,
}) => {
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
  await page.goto(sweepsUrl())
  await page.getByTestId('sweep-select').selectOption(oneKnob[0].batch!)
  const chart = page.getByTestId('sweep-line')
  await expect(chart).toHaveAttribute('data-drawn', 'true')
  expect(await inkPixels(page, 'sweep-line')).toBeGreaterThan(2000)
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, 'sweep-line.png') })

  // The middle value's column: grid left 80 px, right 24 px, three categories.
  const box = (await chart.boundingBox())!
  const plotWidth = box.width - 80 - 24
  await chart.click({ position: { x: 80 + plotWidth * 0.5, y: box.height / 2 } })
  const middle = oneKnob
    .filter((r) => r.sweepPoint?.['policy.params.hotThresholdMs'] === 1000)
    .map((r) => r.id)
    .sort((a, b) => a - b)
  expect(middle).toHaveLength(2)
  await expect(page).toHaveURL(new RegExp(`#/compare\\?runs=${middle.join('%2C|,')}`))
  await expect(page.getByTestId('compared-run')).toHaveCount(2)
})

test('two knobs: a heatmap; clicking a cell opens that point', async ({ page }) => {
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
  await page.goto(sweepsUrl())
  await page.getByTestId('sweep-select').selectOption(twoKnobs[0].batch!)
  const chart = page.getByTestId('sweep-heatmap')
  await expect(chart).toHaveAttribute('data-drawn', 'true')
  await page.getByTestId('sweep-metric').selectOption('topTierHitRatio')
  await expect(chart).toHaveAttribute('data-drawn', 'true')
  await page.screenshot({ path: join(screenshotDir, 'sweep-heatmap.png') })
  expect(await inkPixels(page, 'sweep-heatmap')).toBeGreaterThan(5000)

  // Bottom-left cell: hotThresholdMs 10, rateLimitMBps 16 (grid left 100, right 24, top 36,
  // bottom 90; two categories each way).
  const box = (await chart.boundingBox())!
  const x = 100 + (box.width - 124) * 0.25
  const y = 36 + (box.height - 126) * 0.75
  await chart.click({ position: { x, y } })
  const cell = twoKnobs.find(
    (r) =>
      r.sweepPoint?.['policy.params.hotThresholdMs'] === 10 &&
      r.sweepPoint?.['policy.params.rateLimitMBps'] === 16,
  )!
  await expect(page).toHaveURL(new RegExp(`#/compare\\?runs=${cell.id}$`))
})
