import { expect, test, request as playwrightRequest } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { RunRecord } from '../../shared/runs'
import { BUILTIN_POLICIES } from '../../main/engine'
import { scaleExperiment } from '../../main/services/experiments/scale'
import { readExample, resolveExample } from '../unit/resources/example-runs'
import { callApi } from './api'
import { e2eEnv } from './env'
import { runAndWait } from './runs-seed'

// The README's policy-library screenshot: the shipped example set (every built-in policy but the
// GPU one, on the KV store over 1S + CXL) opened in Compare with each policy's own series. The runs
// are the example at 1/64 of its memory, as test/unit/resources/examples.test.ts checks it, so the
// picture shows the outcome that check holds.
const FILE = 'policy-library-kv-store.json'
const SCALE = 1 / 64
const screenshotDir = join(import.meta.dirname, '..', '..', 'docs', 'screenshots')

/** The policy ids the example's notes tell `tierlab sweep` to run. */
function exampleIds(): string[] {
  const notes = String(readExample(FILE).notes)
  const values = /--knob policy\.id --values (\S+)/.exec(notes)
  if (!values) throw new Error(`${FILE}: its notes name no policy.id sweep`)
  return values[1].split(',')
}

/** A series each policy publishes of its own, shown beside the run-wide ones. */
const OWN_SERIES: Record<string, string> = {
  colloid: 'policy.latencyRatio',
  tpp: 'policy.demoteWatermarkMiB',
  memtis: 'policy.hotThresholdBin',
  nomad: 'policy.shadowMB',
  'damon-tiering': 'policy.regions',
}

test.use({ viewport: { width: 1440, height: 900 } })

let runs: RunRecord[] = []

test.beforeAll(async () => {
  // 13 runs of 30 simulated seconds on a 2-core machine shared with the host under test.
  test.setTimeout(600_000)
  const raw = readExample(FILE)
  const experiments = []
  for (const id of exampleIds()) {
    const exp = scaleExperiment(await resolveExample(raw, { id }), SCALE)
    experiments.push({ experiment: { ...exp, name: `${raw.name} (1/64): ${id}` } })
  }
  const request = await playwrightRequest.newContext()
  runs = await runAndWait(request, experiments, 540_000)
  await request.dispose()
})

test('Compare shows every policy of the example set with its own series', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000)
  const pageErrors: string[] = []
  page.on('pageerror', (e) => pageErrors.push(e.message))

  // Every built-in policy that runs on a CPU-only machine is in the set, each once.
  const ids = runs.map((r) => r.policyId)
  const builtIn = BUILTIN_POLICIES.list().map((p) => p.id)
  expect([...ids].sort()).toEqual(builtIn.filter((id) => id !== 'gpu-access-counters').sort())

  // Each policy's own series is archived with its run and with no other run.
  for (const [policy, key] of Object.entries(OWN_SERIES)) {
    for (const run of runs) {
      const series = await callApi(request, 'runs.series', { id: run.id, keys: [key] })
      const values = series.find((s) => s.key === key)?.values ?? []
      if (run.policyId === policy) expect(values.length, `${policy}: ${key}`).toBeGreaterThan(10)
      else expect(values, `${run.policyId} has no ${key}`).toEqual([])
    }
  }

  const url = new URL(e2eEnv('url'))
  url.hash = `#/compare?runs=${runs.map((r) => r.id).join(',')}`
  await page.goto(url.toString())
  await expect(page.getByTestId('compared-run')).toHaveCount(runs.length)
  // First-touch is the baseline and the oracle the bound: the verdict names the real policy with
  // the highest throughput against first-touch (or first-touch against the runner-up), from the
  // runs' own summaries, and how close it comes to the oracle.
  const real = runs
    .filter((r) => r.policyId !== 'oracle')
    .sort((a, b) => b.summary!.throughputOpsPerS - a.summary!.throughputOpsPerS)
  const [winner, runnerUp] = real
  const other = winner.policyId === 'first-touch' ? runnerUp.policyId : 'first-touch'
  const verdict = page.getByTestId('verdict')
  await expect(verdict).toContainText(new RegExp(`^${winner.policyId} (wins|and ${other})`))
  await expect(verdict).toContainText(other)
  await expect(verdict).toContainText(`oracle bound: ${winner.policyId} reaches`)

  // The hit ratio (the outcome; throughput and latency are in the summary table below) and one
  // series of each policy's own state: six panels, three rows that fit the screen.
  const picker = page.getByTestId('series-picker')
  await picker.locator('[data-key="throughputOpsPerS"]').uncheck()
  await picker.locator('[data-key="topTierHitRatio"]').check()
  for (const key of Object.values(OWN_SERIES)) await picker.locator(`[data-key="${key}"]`).check()
  const chart = page.getByTestId('overlay-chart')
  await expect(chart).toHaveAttribute('data-drawn', 'true')
  await expect(chart.locator('canvas').first()).toBeVisible()

  // The charts fill the screen: the page scrolled so the panels start below the header.
  await chart.evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await page.evaluate(() => window.scrollBy(0, -60))
  const box = (await chart.boundingBox())!
  expect(box.y).toBeGreaterThanOrEqual(0)
  expect(box.y + box.height).toBeLessThanOrEqual(900)
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, 'policy-library.png') })
  expect(pageErrors).toEqual([])
})
