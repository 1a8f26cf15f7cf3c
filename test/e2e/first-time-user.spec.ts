import { expect, test, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { callApi } from './api'
import { drop, handle, link } from './editor-gestures'
import { e2eEnv } from './env'

// The UI issue's acceptance walk: a newcomer draws a 2-socket machine with two CXL expanders,
// runs two policies on a preset workload and reads in Compare which one wins, using only what
// the screens offer (buttons and links, no typed URLs). WALK_SHOTS=<dir> keeps a screenshot per
// step for a human to look at.
const shotDir = process.env.WALK_SHOTS
async function shot(page: Page, name: string): Promise<void> {
  if (!shotDir) return
  mkdirSync(shotDir, { recursive: true })
  await page.screenshot({ path: join(shotDir, `${name}.png`) })
}

test('a first-time user draws a machine, runs two policies on it and sees which one wins', async ({
  page,
  request,
}) => {
  test.setTimeout(150_000)
  page.on('pageerror', (e) => console.error(`page error: ${e.stack ?? e.message}`))
  const machine = `First machine ${Date.now().toString(36)}`

  await page.goto(e2eEnv('url'))
  await shot(page, '01-start')
  await page.getByTestId('nav-editor').click()
  await expect(page.getByTestId('topology-editor')).toBeVisible()
  await shot(page, '02-editor-empty')

  await page.getByTestId('field-name').fill(machine)
  await drop(page, 'socket', 150, 120)
  await drop(page, 'socket', 480, 120)
  await drop(page, 'cxl-memory', 150, 400)
  await drop(page, 'cxl-memory', 480, 400)
  await shot(page, '03-dropped')
  await link(page, handle(page, 's0', 'right'), handle(page, 's1', 'left'), 'upi')
  await link(page, handle(page, 's0', 'bottom'), handle(page, 'cxl0', 'top'), 'cxl')
  await link(page, handle(page, 's1', 'bottom'), handle(page, 'cxl1', 'top'), 'cxl')
  await expect(page.locator('.vue-flow__edge.link-edge')).toHaveCount(3)
  await shot(page, '04-linked')

  await page.getByTestId('editor-save').click()
  await expect(page.getByTestId('editor-status')).toContainText('Saved')
  await shot(page, '05-saved')

  // The editor offers the next step: the builder opens with this machine chosen.
  await page.getByTestId('editor-use-in-experiment').click()
  await expect(page.getByTestId('experiments-page')).toBeVisible()
  const choice = page.getByTestId('topology-choice')
  await expect(choice.locator('option:checked')).toHaveText(machine)
  // A preset whose tenants run on s0 and s1, the ids the editor gave the sockets.
  await page.getByTestId('workload-source').selectOption('preset:two-tenants')
  await expect(page.getByTestId('workload-valid')).toBeVisible()
  await shot(page, '06-experiment')
  // The editor's 256 GiB sockets hold both tenants: the builder says every policy would tie and
  // offers the way back to the machine. 16 GiB per socket makes tenant b (24 GiB) spill to CXL.
  await expect(page.getByTestId('fits-in-dram')).toContainText('all policies will score the same')
  await page.getByTestId('edit-topology').click()
  await expect(page.locator('.vue-flow__node[data-id="s0"]')).toBeVisible()
  for (const socket of ['s0', 's1']) {
    await page.locator(`.vue-flow__node[data-id="${socket}"]`).click()
    await page.getByTestId('field-memory.capacityGiB').fill('16')
  }
  await page.getByTestId('editor-save').click()
  await page.getByTestId('editor-use-in-experiment').click()
  await expect(choice.locator('option:checked')).toHaveText(machine)
  await expect(page.getByTestId('workload-source')).toHaveValue('preset:two-tenants')
  await expect(page.getByTestId('fits-in-dram')).toHaveCount(0)
  await page.getByTestId('policy-first-touch').check()
  await page.getByTestId('policy-numa-balancing-tiering').check()
  await page.getByTestId('experiment-name').fill(machine)
  // 15 simulated seconds (NUMA balancing needs a few scan periods to promote) and 2 MiB pages:
  // the two runs take seconds of wall time.
  await page.locator('[data-path="durationS"] input').fill('15')
  await page.getByTestId('page-bytes').selectOption('2097152')
  await expect(page.getByTestId('run-blocker')).toHaveCount(0)
  await shot(page, '07-ready')
  await page.getByTestId('run-button').click()
  await expect(page.getByTestId('queued-notice')).toContainText('Queued 2 runs')
  await shot(page, '08-queued')

  await page.getByTestId('open-queue').click()
  await expect(page.getByTestId('queue-page')).toBeVisible()
  await shot(page, '09-queue')
  // When both are done the queue offers to compare them.
  await expect(page.getByTestId('compare-finished')).toBeVisible({ timeout: 120_000 })
  await shot(page, '10-queue-done')
  await page.getByTestId('compare-finished').click()

  await expect(page.getByTestId('compared-run')).toHaveCount(2)
  // The verdict names the run with the higher mean throughput as the winner (read from the
  // archive, not assumed), against the other, and why: throughput, hit ratio, latency.
  const ids = await page
    .getByTestId('compared-run')
    .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-id'))))
  const compared = await Promise.all(ids.map((id) => callApi(request, 'runs.get', { id })))
  const [winner, loser] = [...compared].sort(
    (x, y) => y.summary!.throughputOpsPerS - x.summary!.throughputOpsPerS,
  )
  expect(winner.summary!.throughputOpsPerS).toBeGreaterThan(loser.summary!.throughputOpsPerS)
  await expect(page.getByTestId('verdict')).toHaveText(
    new RegExp(
      `^${winner.policyId} wins: \\+[\\d.]+ % throughput vs ${loser.policyId}; hit ratio [\\d.]+ vs [\\d.]+; mean latency [\\d.]+ vs [\\d.]+ ns`,
    ),
  )
  await expect(page.getByTestId('summary-table')).toBeVisible()
  await shot(page, '11-compare')
})

test('keyboard: Alt+n and g-letter switch views, ? lists the keys, the last view comes back', async ({
  page,
}) => {
  await page.goto(e2eEnv('url'))
  await expect(page.getByTestId('nav-topologies')).toHaveClass(/router-link-active/)
  await page.keyboard.press('Alt+4')
  await expect(page.getByTestId('queue-page')).toBeVisible()
  await page.keyboard.press('g')
  await page.keyboard.press('r')
  await expect(page.getByTestId('nav-runs')).toHaveClass(/router-link-active/)
  await page.keyboard.press('?')
  await expect(page.getByTestId('shortcut-overlay')).toContainText('Alt+1')
  await shot(page, '12-shortcuts')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('shortcut-overlay')).toHaveCount(0)

  // Opening the bare address again (no route in it) lands on the view left last.
  await page.keyboard.press('Alt+6')
  await expect(page.getByTestId('compare-view')).toBeVisible()
  const bare = new URL(page.url())
  bare.hash = ''
  await page.goto(bare.toString())
  await expect(page.getByTestId('compare-view')).toBeVisible()
})
