import { expect, test, request as playwrightRequest } from '@playwright/test'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { callApi } from './api'
import { e2eEnv } from './env'

const ROOT = join(import.meta.dirname, '..', '..')
const STUDY = 'userspace-policy'
let outDir = ''
let runIds: number[] = []

/**
 * `tierlab study` as a user runs it, into the database the web host serves: its runs are the
 * ones the Studies view must find. At 1/256 of the memory the claims may not all hold (exit 1);
 * the runs are archived either way.
 */
test.beforeAll(async () => {
  test.setTimeout(240_000)
  outDir = mkdtempSync(join(tmpdir(), 'tierlab-e2e-study-'))
  const env = { ...process.env }
  delete env.TIERLAB_DB
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      [
        join(ROOT, 'bin', 'tierlab.mjs'),
        'study',
        STUDY,
        '--db',
        e2eEnv('db'),
        '--out',
        outDir,
        '--scale',
        '0.00390625',
        '--json',
      ],
      { cwd: ROOT, env, timeout: 220_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  )
  expect([0, 1], result.stderr).toContain(result.code)
  runIds = (JSON.parse(result.stdout) as { runs: { runId: number }[] }).runs.map((r) => r.runId)
  expect(runIds).toHaveLength(4)
  expect(readFileSync(join(outDir, 'report.md'), 'utf8')).toContain(`run ids ${runIds.join(', ')}`)
})

test.afterAll(() => rmSync(outDir, { recursive: true, force: true }))

function studiesUrl(): string {
  const url = new URL(e2eEnv('url'))
  url.hash = '#/studies'
  return url.toString()
}

test('the Studies view lists the study with its runs and opens them in Compare, baseline pinned', async ({
  page,
}) => {
  const request = await playwrightRequest.newContext()
  const studies = await callApi(request, 'studies.list', {})
  await request.dispose()
  const summary = studies.find((s) => s.name === STUDY)!
  expect(summary.latest?.runs.map((r) => r.runId)).toEqual(runIds)

  await page.goto(studiesUrl())
  const card = page.getByTestId(`study-${STUDY}`)
  await expect(card.getByRole('heading')).toHaveText(summary.title)
  await expect(card.getByTestId('study-status')).toHaveText(/^4 runs, all done/)
  // A study never run into this database has nothing to open.
  const other = page.getByTestId('study-migration-cost')
  await expect(other.getByTestId('study-status')).toHaveText('Not run into this database yet')
  await expect(other.getByTestId('study-open-compare')).toHaveCount(0)

  await card.getByTestId('study-open-compare').click()
  await expect(page).toHaveURL(
    new RegExp(`#/compare\\?runs=${runIds.join('(,|%2C)')}&baseline=${runIds[0]}$`),
  )
  const chips = page.getByTestId('compared-run')
  await expect(chips).toHaveCount(4)
  await expect(chips.first()).toHaveAttribute('data-id', String(runIds[0]))
  await expect(page.getByTestId('summary-table')).toBeVisible()
})
