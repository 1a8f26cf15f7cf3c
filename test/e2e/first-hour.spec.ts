import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { e2eEnv } from './env'

// The first hour of a new user at 1440 × 900, the README's screenshots taken on the way: a preset
// machine, a copy of it in the editor, an experiment on it with three policies, the live queue,
// the archive, Compare with its verdict, and the exports. Only what the screens offer is used
// (buttons, links, fields), and no header on any page may be cut off.
const screenshotDir = join(import.meta.dirname, '..', '..', 'docs', 'screenshots')

test.use({ viewport: { width: 1440, height: 900 } })

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) })
}

/**
 * Texts of the headers on screen that are cut off: the app header, page and panel titles,
 * table and grid column headers whose content is wider than their box.
 */
async function truncatedHeaders(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selectors = [
      '[data-testid="app-header"] *',
      '[data-testid="nav"] a',
      'h2',
      'h3',
      'th',
      '[role="columnheader"] .sort',
    ]
    const out: string[] = []
    for (const el of document.querySelectorAll<HTMLElement>(selectors.join(','))) {
      const box = el.getBoundingClientRect()
      if (box.width === 0 || box.height === 0 || box.right > window.innerWidth) continue
      if (el.scrollWidth > el.clientWidth + 1) out.push(el.textContent?.trim() ?? el.tagName)
    }
    return out
  })
}

test('the first hour: preset → editor → experiment → queue → runs → compare → export', async ({
  page,
}) => {
  test.setTimeout(300_000)
  const pageErrors: string[] = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  const machine = `Small CXL box ${Date.now().toString(36)}`

  // Topologies: the single-socket CXL preset as the kernel sees it.
  await page.goto(e2eEnv('url'))
  // The getting-started tour describes this very walk; its first step names the preset.
  await page.getByTestId('tour-open').click()
  await expect(page.getByTestId('tour-text')).toContainText('1 socket + 1 CXL expander')
  await page.getByTestId('tour-close').click()
  await page.locator('[data-testid="preset-item"][data-id="1s-cxl"]').click()
  await expect(page.getByTestId('topology-name')).toHaveText('1 socket + 1 CXL expander')
  expect(await truncatedHeaders(page)).toEqual([])
  await shot(page, 'topologies')

  // Editor: a copy of it with 2 GiB of DRAM, so a walk-sized workload still overflows it.
  await page.getByTestId('topology-edit').click()
  await expect(page.getByTestId('topology-editor')).toBeVisible()
  await expect(page.locator('.vue-flow__node[data-id="s0"]')).toBeVisible()
  await page.getByTestId('field-name').fill(machine)
  await page.locator('.vue-flow__node[data-id="s0"]').click()
  await page.getByTestId('field-memory.capacityGiB').fill('2')
  await page.getByTestId('editor-save').click()
  await expect(page.getByTestId('editor-status')).toContainText('Saved')
  // The kernel's view of the edited machine, so the screenshot shows its tiers too.
  await expect(page.getByTestId('analysis-tier').first()).toBeVisible()
  expect(await truncatedHeaders(page)).toEqual([])
  await shot(page, 'editor')

  // Experiments: the builder opens on this machine with a workload that runs on it (kv-store),
  // not one whose initiators the machine lacks.
  await page.getByTestId('editor-use-in-experiment').click()
  await expect(page.getByTestId('experiments-page')).toBeVisible()
  await expect(page.getByTestId('topology-choice').locator('option:checked')).toHaveText(machine)
  await expect(page.getByTestId('workload-source')).toHaveValue('preset:kv-store')
  await expect(page.getByTestId('workload-valid')).toBeVisible()
  // The KV store at an eighth of its size (4 GiB over 2 GiB of DRAM, 2 of its 16 threads) and
  // memory-bound (200 ns of compute per request instead of 1 µs), so 30 s run in seconds.
  const field = (path: string) => page.locator(`[data-path="${path}"] input`)
  await field('regions[0].sizeGiB').fill('0.25')
  await field('regions[1].sizeGiB').fill('3.75')
  await field('processes[0].threads').fill('2')
  await field('processes[0].computeNsPerOp').fill('200')
  for (const p of ['first-touch', 'numa-balancing-tiering', 'oracle'])
    await page.getByTestId(`policy-${p}`).check()
  await page.getByTestId('experiment-name').fill('First hour')
  await field('durationS').fill('30')
  await page.getByTestId('page-bytes').selectOption('4096')
  await expect(page.getByTestId('run-blocker')).toHaveCount(0)
  expect(await truncatedHeaders(page)).toEqual([])
  await shot(page, 'experiments')
  await page.getByTestId('run-button').click()
  await expect(page.getByTestId('queued-notice')).toContainText('Queued 3 runs')

  // Queue: live charts while they run, then the offer to compare.
  await page.getByTestId('open-queue').click()
  await expect(page.getByTestId('queue-page')).toBeVisible()
  await expect(page.getByTestId('live-charts')).toBeVisible({ timeout: 60_000 })
  await page.waitForTimeout(3000) // a few seconds of live series in the screenshot
  expect(await truncatedHeaders(page)).toEqual([])
  await shot(page, 'queue')
  await expect(page.getByTestId('compare-finished')).toBeVisible({ timeout: 240_000 })

  // Runs: the archive readable at 1440 px, the details with the knobs and a chart below.
  await page.getByTestId('nav-runs').click()
  // Other specs share the archive: this walk's three runs are the ones named after it.
  await page.getByTestId('run-search').fill('First hour')
  await expect(page.getByTestId('run-row')).toHaveCount(3)
  // The queue offers Compare once two are done; the archive follows the third to the end.
  await expect(
    page.locator('[data-testid="run-row"] [role="gridcell"]', {
      hasText: /^(running|queued|preparing)/,
    }),
  ).toHaveCount(0, { timeout: 240_000 })
  expect(await truncatedHeaders(page)).toEqual([])
  await page
    .locator('[data-testid="run-row"] [data-col="policy"]', {
      hasText: 'numa-balancing-tiering',
    })
    .click()
  await expect(page.getByTestId('run-knobs')).toContainText('page size')
  await expect(page.getByTestId('run-chart')).toBeVisible()
  await shot(page, 'runs')

  // Compare: first-touch is the baseline, a real policy wins, the oracle is a bound. On this
  // memory-bound KV store NUMA balancing's synchronous single-page promotions (tens of µs each in
  // the faulting task) cost more than its extra top-tier hits save, so first-touch wins.
  await page.getByTestId('select-all').check()
  await page.getByTestId('compare-selected').click()
  await expect(page.getByTestId('compared-run')).toHaveCount(3)
  const verdict = page.getByTestId('verdict')
  await expect(verdict).toHaveText(
    /^first-touch wins: \+[\d.]+ % throughput vs numa-balancing-tiering;/,
  )
  await expect(verdict).toContainText('oracle bound: first-touch reaches')
  // Two more metrics: one small panel each, not one chart with three y axes.
  const picker = page.getByTestId('series-picker')
  await picker.locator('[data-key="topTierHitRatio"]').check()
  await picker.locator('[data-key="meanLatencyNs"]').check()
  await expect(page.getByTestId('overlay-chart').locator('canvas').first()).toBeVisible()
  expect(await truncatedHeaders(page)).toEqual([])
  await shot(page, 'compare')

  // Exports: the series as CSV, the runs as a bundle, the chart as a PNG.
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('compare-export-csv').click(),
  ])
  const csvText = readFileSync((await csv.path())!, 'utf8')
  expect(csvText.split('\n')[0]).toMatch(/^t_s,/)
  const [bundle] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('compare-export-bundle').click(),
  ])
  const parsed = JSON.parse(readFileSync((await bundle.path())!, 'utf8')) as {
    format: string
    runs: unknown[]
  }
  expect(parsed.format).toBe('tierlab.bundle/v1')
  expect(parsed.runs).toHaveLength(3)
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('overlay-chart-png').click(),
  ])
  expect(png.suggestedFilename()).toMatch(/\.png$/)

  expect(pageErrors).toEqual([])
})
