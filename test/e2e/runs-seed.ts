import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, type APIRequestContext, type Page } from '@playwright/test'
import type { RunRecord } from '../../shared/runs'
import { callApi } from './api'

const examples = join(import.meta.dirname, '..', '..', 'resources', 'examples')

/**
 * A shipped example experiment, shortened to `durationS` of simulated time and at 2 MiB pages so a
 * run takes seconds (the examples run 4 KiB pages, millions of frames, to show their outcome;
 * these specs need runs, not that outcome, which test/unit/resources checks).
 */
export function exampleExperiment(
  file: string,
  name: string,
  durationS = 2,
): Record<string, unknown> {
  const doc = JSON.parse(readFileSync(join(examples, file), 'utf8')) as Record<string, unknown>
  return { ...doc, name, durationS, pageBytes: 2 * 1024 * 1024 }
}

/** Starts runs through the API (runs.start) and waits until every one is done. */
export async function runAndWait(
  request: APIRequestContext,
  experiments: Array<{ experiment: Record<string, unknown>; tags?: string[] }>,
  timeoutMs = 90_000,
): Promise<RunRecord[]> {
  const started: RunRecord[] = []
  for (const e of experiments) started.push(await callApi(request, 'runs.start', e))
  const deadline = Date.now() + timeoutMs
  const done: RunRecord[] = []
  for (const run of started) {
    for (;;) {
      const r = await callApi(request, 'runs.get', { id: run.id })
      if (r.status === 'done') {
        done.push(r)
        break
      }
      if (r.status !== 'queued' && r.status !== 'running')
        throw new Error(`run ${run.id} ended ${r.status}: ${r.error}`)
      if (Date.now() > deadline)
        throw new Error(`run ${run.id} still ${r.status} after ${timeoutMs} ms`)
      await new Promise((res) => setTimeout(res, 250))
    }
  }
  return done
}

/** Pixels of the canvas inside `[data-testid=testId]` near each colour, counted in the plot area only. */
export async function countColourPixels(
  page: Page,
  testId: string,
  colours: string[],
  plotInsetPx: { top: number; bottom: number },
): Promise<number[]> {
  const canvas = page.getByTestId(testId).locator('canvas').first()
  await expect(canvas).toBeVisible()
  return canvas.evaluate(
    (el, { colours, inset }) => {
      const c = el as HTMLCanvasElement
      const ctx = c.getContext('2d')!
      const dpr = c.width / c.clientWidth
      const top = Math.round(inset.top * dpr)
      const bottom = c.height - Math.round(inset.bottom * dpr)
      const img = ctx.getImageData(0, top, c.width, bottom - top).data
      const targets = colours.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)))
      const counts = targets.map(() => 0)
      for (let p = 0; p < img.length; p += 4) {
        if (img[p + 3] < 200) continue
        targets.forEach((rgb, k) => {
          if (
            Math.abs(img[p] - rgb[0]) <= 24 &&
            Math.abs(img[p + 1] - rgb[1]) <= 24 &&
            Math.abs(img[p + 2] - rgb[2]) <= 24
          )
            counts[k]++
        })
      }
      return counts
    },
    { colours, inset: plotInsetPx },
  )
}
