import { expect, test, type Page } from '@playwright/test'
import type { Topology } from '../../shared/formats/topology'
import { callApi } from './api'
import { e2eEnv } from './env'

// docs/screenshots belong to first-hour.spec.ts (the README's walk); these stay with the results.

/** Opens the app with the URL `tierlab serve` printed, as a user would. */
async function openApp(page: Page): Promise<void> {
  // A script error leaves the page blank; put it in the test's output instead of a bare timeout.
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
  await page.goto(e2eEnv('url'))
  await expect(page.getByTestId('preset-list')).toBeVisible()
}

/** The tiers the page shows: id, node list (data) and the nodelist text as sysfs prints it. */
async function shownTiers(page: Page) {
  const rows = page.getByTestId('tier-row')
  await expect(rows.first()).toBeVisible()
  return rows.evaluateAll((els) =>
    els.map((el) => ({
      tier: Number(el.getAttribute('data-tier')),
      nodes: (el.getAttribute('data-nodes') ?? '').split(',').filter(Boolean).map(Number),
      nodelist: el.querySelector('[data-testid="tier-nodelist"]')?.textContent?.trim() ?? '',
    })),
  )
}

/** The kernel's nodelist format for a sorted list: runs as a-b, e.g. [0,1,2,5] → 0-2,5. */
function nodelist(nodes: number[]): string {
  const out: string[] = []
  for (let i = 0; i < nodes.length;) {
    let j = i
    while (j + 1 < nodes.length && nodes[j + 1] === nodes[j] + 1) j++
    out.push(j === i ? `${nodes[i]}` : `${nodes[i]}-${nodes[j]}`)
    i = j + 1
  }
  return out.join(',')
}

test('opens with the token URL, hides the token and shows the database in the header', async ({
  page,
}) => {
  await openApp(page)
  expect(page.url()).not.toContain('token=')
  await expect(page.getByTestId('database-path')).toContainText(e2eEnv('db'))
})

test('lists every preset and shows the tiers main computes for each', async ({ page, request }) => {
  const presets = await callApi(request, 'topology.presets', {})
  expect(presets.length).toBeGreaterThan(0)
  await openApp(page)
  await expect(page.getByTestId('preset-item')).toHaveText(presets.map((p) => p.name))

  for (const preset of presets) {
    const result = await callApi(request, 'topology.analyze', { topology: preset.topology })
    if (!result.ok)
      throw new Error(`preset ${preset.id} does not analyse: ${JSON.stringify(result.issues)}`)
    await page.locator(`[data-testid="preset-item"][data-id="${preset.id}"]`).click()
    await expect(page.getByTestId('topology-name')).toHaveText(preset.topology.name)
    const expected = result.analysis.tiers.map((t) => ({
      tier: t.tier,
      nodes: t.nodes,
      nodelist: nodelist([...t.nodes].sort((a, b) => a - b)),
    }))
    expect(await shownTiers(page)).toEqual(expected)
    await expect(page.getByTestId('node-row')).toHaveCount(result.analysis.nodes.length)
    await expect(page.getByTestId('distance-row')).toHaveCount(result.analysis.distance.length)
  }
})

test('saves a screenshot of the Topologies view', async ({ page, request }) => {
  const presets = await callApi(request, 'topology.presets', {})
  // The preset with the most tiers shows the most of the page.
  let best = presets[0]
  let bestTiers = -1
  for (const p of presets) {
    const r = await callApi(request, 'topology.analyze', { topology: p.topology })
    if (r.ok && r.analysis.tiers.length > bestTiers) {
      best = p
      bestTiers = r.analysis.tiers.length
    }
  }
  await openApp(page)
  await page.locator(`[data-testid="preset-item"][data-id="${best.id}"]`).click()
  await expect(page.getByTestId('tiers-table')).toBeVisible()
  // Taller than the default viewport so the README shows the tiers and the nodes together.
  await page.setViewportSize({ width: 1360, height: 1000 })
  await page.screenshot({ path: test.info().outputPath('topologies.png') })
  // The dark theme, kept with the test's results for a look when styles change.
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: test.info().outputPath('topologies-dark.png') })
})

test('an invalid import lists each field error with its path', async ({ page, request }) => {
  const presets = await callApi(request, 'topology.presets', {})
  const doc = structuredClone(presets[0].topology) as Topology
  const first = doc.components.find((c) => 'memory' in c)
  if (!first || !('memory' in first)) throw new Error('the first preset has no memory')
  first.memory.capacityGiB = -8
  doc.name = 'Negative capacity'
  const text = JSON.stringify(doc, null, 2)
  const index = doc.components.indexOf(first)

  const before = await callApi(request, 'topology.list', {})
  await openApp(page)
  await page.getByTestId('import-input').setInputFiles({
    name: 'negative.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  })
  const errors = page.getByTestId('import-errors')
  await expect(errors).toContainText('negative.json was not imported')
  await expect(errors.getByTestId('field-issue-path')).toHaveText([
    `components[${index}].memory.capacityGiB`,
  ])
  await expect(errors.getByTestId('field-issue-message')).toContainText(['GiB'])
  // Nothing was saved.
  expect(await callApi(request, 'topology.list', {})).toEqual(before)
})

test('a valid import is listed, selected, survives a reload and can be deleted', async ({
  page,
  request,
}) => {
  const presets = await callApi(request, 'topology.presets', {})
  const name = `E2E machine ${test.info().workerIndex}-${test.info().retry}-${presets.length}`
  const doc = { ...structuredClone(presets[0].topology), name }

  await openApp(page)
  await page.getByTestId('import-input').setInputFiles({
    name: 'machine.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(doc)),
  })
  const item = page.getByTestId('saved-item').filter({ hasText: name })
  await expect(item).toHaveCount(1)
  await expect(page.getByTestId('topology-name')).toHaveText(name)
  await expect(page).toHaveURL(/#\/topologies\/saved\/\d+$/)
  await expect(page.getByTestId('import-errors')).toHaveCount(0)

  await page.reload()
  await expect(page.getByTestId('saved-item').filter({ hasText: name })).toHaveCount(1)
  await expect(page.getByTestId('topology-name')).toHaveText(name)

  await item.getByTestId('delete-saved').click()
  await expect(item.getByTestId('delete-confirm')).toContainText(name)
  await item.getByTestId('delete-confirm-yes').click()
  await expect(page.getByTestId('saved-item').filter({ hasText: name })).toHaveCount(0)
  const saved = await callApi(request, 'topology.list', {})
  expect(saved.map((s) => s.name)).not.toContain(name)
})

test('a request without the token is refused', async ({ request, browser }) => {
  const res = await request.post(`${e2eEnv('origin')}/api/topology.list`, { data: {} })
  expect(res.status()).toBe(401)
  expect((await res.json()).error.code).toBe('unauthorized')

  // A fresh browser without the token (nor its cookie) is refused the page itself.
  const context = await browser.newContext()
  const page = await context.newPage()
  const response = await page.goto(e2eEnv('origin'))
  expect(response?.status()).toBe(401)
  await expect(page.locator('body')).toContainText('Open the link printed in the terminal')
  await context.close()
})
