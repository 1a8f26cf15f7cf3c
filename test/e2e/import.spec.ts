import { expect, test, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { callApi } from './api'
import { e2eEnv } from './env'

const FIX = join(import.meta.dirname, '..', 'fixtures', 'import')

/** Drops files on an element as the desktop does: a DataTransfer holding File objects. */
async function dropFiles(page: Page, testId: string, files: { path: string; type: string }[]) {
  const payload = files.map((f) => ({
    name: f.path.split('/').pop() as string,
    type: f.type,
    base64: readFileSync(f.path).toString('base64'),
  }))
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer()
    for (const it of items) {
      const bytes = Uint8Array.from(atob(it.base64), (c) => c.charCodeAt(0))
      dt.items.add(new File([bytes], it.name, { type: it.type }))
    }
    return dt
  }, payload)
  await page.getByTestId(testId).dispatchEvent('drop', { dataTransfer })
}

async function openApp(page: Page): Promise<void> {
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
  await page.goto(e2eEnv('url'))
  await expect(page.getByTestId('preset-list')).toBeVisible()
}

test('dropping an hwloc XML on Topologies shows the machine, its assumptions, and saves it', async ({
  page,
  request,
}) => {
  await openApp(page)
  const beforeIds = new Set((await callApi(request, 'topology.list', {})).map((t) => t.id))
  const before = beforeIds.size
  await dropFiles(page, 'machine-drop', [
    { path: join(FIX, 'hwloc/64intel64-heteromem.xml'), type: 'text/xml' },
  ])
  const result = page.getByTestId('machine-import-result')
  await expect(result).toBeVisible()
  // The KNL-like machine: 4 nodes with CPUs, 4 CPU-less HBM nodes.
  const rows = page.getByTestId('machine-node')
  await expect(rows).toHaveCount(8)
  await expect(rows.filter({ hasText: 'HBM' })).toHaveCount(4)
  await expect(page.getByTestId('machine-warnings')).toContainText('defaults used')
  // Nothing is in the library until the user saves.
  expect((await callApi(request, 'topology.list', {})).length).toBe(before)

  await page.getByTestId('machine-save').click()
  await expect(page.getByTestId('topology-details')).toBeVisible()
  await expect(page.getByTestId('topology-name')).toHaveText(/Imported machine \(hwloc XML 3\.0\)/)
  // The saved machine as Linux sees it: 8 NUMA nodes.
  await expect(page.getByTestId('node-row')).toHaveCount(8)
  const saved = await callApi(request, 'topology.list', {})
  expect(saved.length).toBe(before + 1)
  // The one entry that is new (the list's order is the library's, not the order of saving).
  const added = saved.filter((t) => !beforeIds.has(t.id))
  expect(added).toHaveLength(1)
  const topo = await callApi(request, 'topology.get', { id: added[0].id })
  expect(topo.topology.components.filter((c) => 'memory' in c)).toHaveLength(8)
})

test('an hwloc 1.x export of a real KNL (Xeon Phi 7210) shows its 4 DDR and 4 MCDRAM nodes', async ({
  page,
}) => {
  await openApp(page)
  await dropFiles(page, 'machine-drop', [
    { path: join(FIX, 'hwloc/xeonphi-7210-snc4-flat.v1.xml'), type: 'text/xml' },
  ])
  await expect(page.getByTestId('machine-import-result')).toBeVisible()
  const rows = page.getByTestId('machine-node')
  await expect(rows).toHaveCount(8)
  await expect(rows.filter({ hasText: 'CPUs + memory' })).toHaveCount(4)
  await expect(rows.filter({ hasText: 'on-package HBM' })).toHaveCount(4)
  await expect(rows.filter({ hasText: 'MCDRAM' })).toHaveCount(4)
  await expect(page.getByTestId('machine-import-result')).toContainText('hwloc XML 1.x')
})

test('a hand-written KNL XML with CRLF and single quotes, media only in memattrs, shows its 4 HBM nodes', async ({
  page,
}) => {
  await openApp(page)
  await dropFiles(page, 'machine-drop', [
    { path: join(FIX, 'hwloc/handwritten-knl-snc4-memattr.v2.xml'), type: 'text/xml' },
  ])
  await expect(page.getByTestId('machine-import-result')).toBeVisible()
  const rows = page.getByTestId('machine-node')
  await expect(rows).toHaveCount(8)
  await expect(rows.filter({ hasText: 'CPUs + memory' })).toHaveCount(4)
  await expect(rows.filter({ hasText: 'on-package HBM' })).toHaveCount(4)
  // No subtype in the file: the warning says HBM was guessed from the bandwidth.
  await expect(page.getByTestId('machine-warnings')).toContainText('over twice the DRAM')
})

test('a garbage file shows one clear error and adds nothing to the library', async ({
  page,
  request,
}) => {
  await openApp(page)
  const before = (await callApi(request, 'topology.list', {})).length
  await dropFiles(page, 'machine-drop', [{ path: join(FIX, 'mess/README.md'), type: 'text/plain' }])
  await expect(page.getByTestId('machine-import-error')).toContainText(
    'README.md: is not a format Tierlab reads',
  )
  await expect(page.getByTestId('machine-import-result')).toHaveCount(0)
  expect((await callApi(request, 'topology.list', {})).length).toBe(before)
})

test('dropping a Lackey trace on the workload builder makes it the draft', async ({ page }) => {
  await openApp(page)
  await page.getByTestId('nav-experiments').click()
  await expect(page.getByTestId('workload-builder')).toBeVisible()
  await dropFiles(page, 'trace-drop', [
    { path: join(FIX, 'lackey/hot.lackey.gz'), type: 'application/gzip' },
  ])
  await expect(page.getByTestId('trace-warnings')).toContainText('hot.lackey.gz imported below')
  await expect(page.getByTestId('workload-name')).toHaveValue('Trace hot.lackey.gz')
})
