import { expect, test, request as playwrightRequest } from '@playwright/test'
import { readFileSync } from 'node:fs'
import type { RunRecord } from '../../shared/runs'
import { callApi } from './api'
import { e2eEnv } from './env'
import { exampleExperiment, runAndWait } from './runs-seed'

// docs/screenshots belong to first-hour.spec.ts (the README's walk); these stay with the results.
let runs: RunRecord[] = []

test.beforeAll(async () => {
  test.setTimeout(120_000)
  const request = await playwrightRequest.newContext()
  runs = await runAndWait(request, [
    {
      experiment: exampleExperiment('kv-store-first-touch.json', 'Archive first-touch'),
      tags: ['archive-e2e'],
    },
    {
      experiment: exampleExperiment('kv-store-numa-tiering.json', 'Archive NUMA tiering'),
      tags: ['archive-e2e'],
    },
    {
      experiment: exampleExperiment('kv-store-oracle.json', 'Archive oracle'),
      tags: ['archive-e2e', 'upper-bound'],
    },
  ])
  await request.dispose()
})

function runsUrl(): string {
  const url = new URL(e2eEnv('url'))
  url.hash = '#/runs'
  return url.toString()
}

test('lists, filters, tags, exports and opens the selected runs in Compare', async ({
  page,
  request,
}) => {
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
  await page.goto(runsUrl())
  for (const r of runs)
    await expect(page.locator(`[data-testid="run-row"][data-id="${r.id}"]`)).toBeVisible()

  // Filter by the tag only these runs carry, then search for one of them.
  await page.getByTestId('filter-tag').selectOption('archive-e2e')
  await expect(page.getByTestId('run-row')).toHaveCount(3)
  // The search covers tags too (the examples' notes all mention "oracle", so search a tag).
  await page.getByTestId('run-search').fill('upper-bound')
  await expect(page.getByTestId('run-row')).toHaveCount(1)
  await page.getByTestId('filter-reset').click()

  // Tag a run in the details panel: the host keeps it.
  const [first, second] = runs
  await page.locator(`[data-testid="run-row"][data-id="${first.id}"]`).click()
  await page.getByTestId('tags-input').fill('archive-e2e, baseline')
  await page.getByTestId('tags-input').press('Enter')
  await expect
    .poll(async () => (await callApi(request, 'runs.get', { id: first.id })).tags)
    .toEqual(['archive-e2e', 'baseline'])

  // Select two runs; export the summary CSV of the selection.
  await page
    .locator(`[data-testid="run-row"][data-id="${first.id}"] [data-testid="run-select"]`)
    .check()
  await page
    .locator(`[data-testid="run-row"][data-id="${second.id}"] [data-testid="run-select"]`)
    .check()
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected')
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-csv').click(),
  ])
  const lines = readFileSync((await download.path())!, 'utf8')
    .trimEnd()
    .split('\r\n')
  expect(lines).toHaveLength(3)
  expect(
    lines
      .slice(1)
      .map((l) => Number(l.split(',')[0]))
      .sort(),
  ).toEqual([first.id, second.id].sort())
  await page.screenshot({ path: test.info().outputPath('runs.png') })

  // Reload: the archive is in the database, not the page.
  await page.reload()
  for (const r of runs)
    await expect(page.locator(`[data-testid="run-row"][data-id="${r.id}"]`)).toBeVisible()

  await page
    .locator(`[data-testid="run-row"][data-id="${first.id}"] [data-testid="run-select"]`)
    .check()
  await page
    .locator(`[data-testid="run-row"][data-id="${second.id}"] [data-testid="run-select"]`)
    .check()
  await page.getByTestId('compare-selected').click()
  await expect(page).toHaveURL(/#\/compare\?runs=\d+(%2C|,)\d+/)
  await expect(page.getByTestId('compared-run')).toHaveCount(2)
})

test('deletes a run after confirmation', async ({ page, request }) => {
  const [victim] = await runAndWait(request, [
    { experiment: exampleExperiment('kv-store-first-touch.json', 'Archive to delete', 0.5) },
  ])
  await page.goto(runsUrl())
  const row = page.locator(`[data-testid="run-row"][data-id="${victim.id}"]`)
  await row.click()
  await page.getByTestId('delete-one').click()
  await expect(page.getByTestId('confirm-delete')).toContainText('Delete 1 run')
  await page.getByTestId('confirm-delete-yes').click()
  await expect(row).toHaveCount(0)
  const left = await callApi(request, 'runs.list', {})
  expect(left.some((r) => r.id === victim.id)).toBe(false)
})
