/**
 * Frame times of the topology editor with a 200-component machine while panning the canvas and
 * dragging a node, in Debian's Chromium against `tierlab serve` (not a timed test; prints figures).
 *
 *   node --import tsx bench/ui/editor-frames.ts [--components 200] [--keep-db] [--profile]
 *
 * --profile prints the page's top functions by self time (CDP CPU profile) for each phase.
 *
 * Needs a built renderer (out/renderer; `npx vite build --config vite.web.config.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type CDPSession, type Page } from 'playwright-core'
import { CHROMIUM_ARGS } from '../../playwright.config'
import { bigTopology } from './big-topology'

const root = join(import.meta.dirname, '..', '..')
const args = process.argv.slice(2)
const componentCount = Number(args[args.indexOf('--components') + 1]) || 200

function startHost(dbFile: string): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'tierlab.mjs'), 'serve', '--port', '0', '--json', '--db', dbFile],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let out = ''
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      try {
        const info = JSON.parse(out) as { url: string; token: string }
        resolve({ child, ...info })
      } catch {
        // the JSON is not complete yet
      }
    })
    child.on('exit', (code) => reject(new Error(`tierlab serve exited with ${code}`)))
  })
}

// Page scripts are strings: tsx would wrap functions passed to evaluate() with its `__name`
// helper, which does not exist in the page.
const START_FRAMES = `(() => {
  window.__frames = []
  window.__recording = true
  let last = performance.now()
  const tick = (t) => {
    window.__frames.push(t - last)
    last = t
    if (window.__recording) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
})()`
const STOP_FRAMES = `(() => { window.__recording = false; return window.__frames.slice(1) })()`

/** Starts recording requestAnimationFrame intervals (ms) in the page. */
async function startFrames(page: Page): Promise<void> {
  await page.evaluate(START_FRAMES)
}

async function stopFrames(page: Page): Promise<number[]> {
  return (await page.evaluate(STOP_FRAMES)) as number[]
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>
  samples: number[]
  timeDeltas: number[]
}

/** Top functions by self time (ms) of a CDP CPU profile. */
function topSelfTime(profile: CpuProfile, count = 12): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfMs = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)?.callFrame
    if (!f) return
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`
    selfMs.set(key, (selfMs.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  return [...selfMs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([k, ms]) => `    ${ms.toFixed(0).padStart(6)} ms  ${k}`)
    .join('\n')
}

async function profiled<T>(cdp: CDPSession | null, label: string, task: () => Promise<T>) {
  if (!cdp) return task()
  await cdp.send('Profiler.start')
  const result = await task()
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile }
  console.log(`  profile of ${label}:\n${topSelfTime(profile)}`)
  return result
}

function summarise(label: string, frames: number[]): void {
  const sorted = [...frames].sort((a, b) => a - b)
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
  const mean = frames.reduce((s, f) => s + f, 0) / Math.max(1, frames.length)
  const long = frames.filter((f) => f > 50).length
  console.log(
    `${label.padEnd(22)} frames ${String(frames.length).padStart(4)}  mean ${mean.toFixed(1)} ms` +
      ` (${(1000 / mean).toFixed(0)} fps)  median ${q(0.5).toFixed(1)}  p95 ${q(0.95).toFixed(1)}` +
      `  max ${sorted[sorted.length - 1]?.toFixed(1)} ms  >50 ms: ${long}`,
  )
}

/** Screen centre of the node nearest the centre of `area` (wide machines do not fit on screen). */
async function nodeNearestCentre(
  page: Page,
  area: { x: number; y: number; width: number; height: number },
): Promise<{ x: number; y: number }> {
  const cx = area.x + area.width / 2
  const cy = area.y + area.height / 2
  const centres = await page.locator('.vue-flow__node').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect()
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 }
    }),
  )
  centres.sort((a, b) => Math.hypot(a.x - cx, a.y - cy) - Math.hypot(b.x - cx, b.y - cy))
  return centres[0]
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'out', 'renderer', 'index.html')))
    throw new Error(
      'out/renderer is missing: run `npx vite build --config vite.web.config.ts` first',
    )
  const dir = mkdtempSync(join(tmpdir(), 'tierlab-bench-ui-'))
  const host = await startHost(join(dir, 'bench.db'))
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
  try {
    const origin = new URL(host.url).origin
    const res = await fetch(`${origin}/api/topology.save`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ topology: bigTopology(componentCount) }),
    })
    const reply = (await res.json()) as { ok: boolean; value?: { id: number }; error?: unknown }
    if (!reply.ok || !reply.value) throw new Error(`save failed: ${JSON.stringify(reply.error)}`)

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } })
    await page.goto(host.url)
    await page.getByTestId('nav-topologies').waitFor()
    let cdp: CDPSession | null = null
    if (args.includes('--profile')) {
      cdp = await page.context().newCDPSession(page)
      await cdp.send('Profiler.enable')
    }
    const t0 = Date.now()
    await profiled(cdp, 'open', async () => {
      await page.evaluate(`window.location.hash = '#/editor?id=${reply.value!.id}'`)
      await page
        .locator('.vue-flow__node')
        .nth(componentCount - 1)
        .waitFor()
      console.log(`editor: ${componentCount} nodes drawn after ${Date.now() - t0} ms`)
      await page.getByTestId('analysis-tier').first().waitFor({ timeout: 60_000 })
    })
    const nodes = await page.locator('.vue-flow__node').count()
    const edges = await page.locator('.vue-flow__edge').count()
    console.log(
      `editor: ${nodes} nodes, ${edges} edges (links + demotion arrows), open + first analysis ${Date.now() - t0} ms`,
    )

    if (args.includes('--screenshot'))
      await page.screenshot({ path: join(root, 'test-results', 'bench-editor-200.png') })
    const canvas = await page.getByTestId('editor-canvas').boundingBox()
    if (args.includes('--screenshot'))
      console.log(
        'canvas box',
        JSON.stringify(canvas),
        'right',
        JSON.stringify(await page.locator('div.right:not(.vue-flow__panel)').boundingBox()),
      )
    if (!canvas) throw new Error('no canvas')
    const pane = { x: canvas.x + canvas.width - 60, y: canvas.y + 30 }

    // Pan: drag the empty pane around a loop, 120 mouse moves.
    await startFrames(page)
    await profiled(cdp, 'pan', async () => {
      await page.mouse.move(pane.x, pane.y)
      await page.mouse.down()
      for (let i = 0; i < 120; i++) {
        const a = (i / 120) * 2 * Math.PI
        await page.mouse.move(pane.x - 200 + 150 * Math.cos(a), pane.y + 200 + 150 * Math.sin(a))
      }
      await page.mouse.up()
    })
    summarise('pan (120 moves)', await stopFrames(page))

    // Fit all, then drag one node back and forth.
    await page.getByRole('button', { name: 'Fit' }).click()
    await page.waitForTimeout(300)
    const box = await page.locator('.vue-flow__node[data-id="s0"]').boundingBox()
    if (!box) throw new Error('s0 not visible')
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
    await startFrames(page)
    await page.mouse.move(at.x, at.y)
    await page.mouse.down()
    for (let i = 0; i < 120; i++) {
      await page.mouse.move(at.x + 100 * Math.sin((i / 120) * 4 * Math.PI), at.y + (i % 40))
    }
    await page.mouse.up()
    summarise('drag node (120 moves)', await stopFrames(page))

    // One edit: the drop commits positions, re-derives nodes/edges and re-analyses.
    await page.getByRole('button', { name: 'Fit' }).click()
    await page.waitForTimeout(300)
    // Edit the name of the node in the middle of the view.
    // The mouse, not locator.click(): Playwright would scroll the overflow-hidden canvas.
    const target = await nodeNearestCentre(page, canvas)
    await startFrames(page)
    await page.mouse.click(target.x, target.y)
    await page.getByTestId('field-name').fill('edited')
    await page.waitForTimeout(1000)
    summarise('edit + re-analysis 1 s', await stopFrames(page))
  } finally {
    await browser.close()
    host.child.kill('SIGTERM')
    if (!args.includes('--keep-db')) rmSync(dir, { recursive: true, force: true })
  }
}

await main()
