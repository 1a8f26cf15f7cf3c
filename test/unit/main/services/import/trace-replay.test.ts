import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES } from '../../../../../main/engine'
import { runSimulationCore } from '../../../../../main/engine/run'
import { compileWorkload } from '../../../../../main/engine/workload'
import { importTraceFile } from '../../../../../main/services/import/trace/read-trace'
import type { Workload } from '../../../../../shared/formats'
import { experiment, socketPlusCxl } from '../../engine/sim/fixtures'
import { FIXTURES } from './helpers'
import { pagesInWorkloadOrder } from './trace-pages'

/**
 * The Done-when on a real Lackey trace (fixtures/import/lackey/README.md: `phases`, a
 * 4 MiB buffer written once per page, then 64 pages in its lower half read 300 times each, then 64
 * pages in its upper half). Every expectation is counted from the trace text here, independently of
 * the importer.
 */
const FILE = join(FIXTURES, 'lackey/phases.lackey.gz')
const PAGE = 4096

/** The page of every L, S and M line, in trace order. */
function accessPages(): number[] {
  const out: number[] = []
  for (const line of gunzipSync(readFileSync(FILE)).toString('utf8').split('\n')) {
    const m = /^ [LSM] ([0-9A-Fa-f]+),\d+$/.exec(line)
    if (m) out.push(Math.floor(parseInt(m[1], 16) / PAGE))
  }
  return out
}

function countsOf(pages: number[]): Map<number, number> {
  const c = new Map<number, number>()
  for (const p of pages) c.set(p, (c.get(p) ?? 0) + 1)
  return c
}

/** Per-page counts of one phase from its traces (regions in workload order, pages in address order). */
function phaseCounts(w: Workload, phase: number): number[] {
  const out: number[] = []
  for (const r of w.regions) {
    const sum = new Array<number>(Math.round((r.sizeGiB * 2 ** 30) / PAGE)).fill(0)
    const access = w.processes[0].phases[phase].accesses.find((a) => a.region === r.id)
    const trace = w.traces?.find(
      (t) => access?.pattern.kind === 'trace' && t.id === access.pattern.trace,
    )
    let i = 0
    for (const [n, c] of trace?.pages ?? []) for (let k = 0; k < n; k++) sum[i++] += c
    out.push(...sum)
  }
  return out
}

const seq = accessPages()
const counts = countsOf(seq)
const pages = [...counts.keys()].sort((a, b) => a - b)
// The program's hot pages: one write and 300 reads each; the lower 64 are phase A, the upper B.
const hot = pages.filter((p) => counts.get(p) === 301)
const phaseA = hot.slice(0, 64)
const phaseB = hot.slice(64)

describe('import-trace: a real Lackey trace with a phase change (phases.lackey.gz)', () => {
  it('keeps the footprint exactly: distinct 4 KiB pages × 4096', async () => {
    expect(hot).toHaveLength(128)
    const { workload, summary } = await importTraceFile(FILE)
    expect(summary.footprintBytes).toBe(pages.length * PAGE)
    const regionBytes = workload.regions.reduce((s, r) => s + r.sizeGiB * 2 ** 30, 0)
    expect(regionBytes).toBe(pages.length * PAGE)
  })

  it('cuts phases where the access count does, each lasting its share of the accesses', async () => {
    const durationS = 30
    const { workload } = await importTraceFile(FILE, { durationS })
    const order = pagesInWorkloadOrder(workload, pages)
    const phases = workload.processes[0].phases
    expect(phases.length).toBeGreaterThanOrEqual(2)
    // Phase k covers the trace's accesses from the sum of the earlier durations on: its counts are
    // exactly those of that slice of the trace, so time in the replay follows the trace's accesses.
    let start = 0
    let elapsedS = 0
    phases.forEach((ph, k) => {
      elapsedS += ph.durationS
      const end = Math.round((seq.length * elapsedS) / durationS)
      const slice = countsOf(seq.slice(start, end))
      expect(phaseCounts(workload, k)).toEqual(order.map((p) => slice.get(p) ?? 0))
      start = end
    })
    expect(start).toBe(seq.length)
    // The hot set moves: an earlier phase has every A page above every B page, the last the reverse.
    const at = (counts: number[], set: number[]) => set.map((p) => counts[order.indexOf(p)])
    const aBeatsB = (k: number) => {
      const ph = phaseCounts(workload, k)
      return Math.min(...at(ph, phaseA)) > Math.max(...at(ph, phaseB))
    }
    expect(phases.some((_, k) => aBeatsB(k))).toBe(true)
    const last = phaseCounts(workload, phases.length - 1)
    expect(Math.min(...at(last, phaseB))).toBeGreaterThan(Math.max(...at(last, phaseA)))
  })

  it('replays the hot pages as hot: the oracle ends with phase B in DRAM, first touch does not', async () => {
    const { workload } = await importTraceFile(FILE, { durationS: 3 })
    const dramPages = Math.floor(pages.length / 5)
    const c = compileWorkload(workload, PAGE, 1)
    // Frame of each page: regions in workload order, each holding its touched pages in address order.
    const order = pagesInWorkloadOrder(workload, pages)
    const frameOf = new Map<number, number>()
    let i = 0
    c.regions.forEach((r) => {
      for (let k = 0; k < r.basePages; k++) frameOf.set(order[i++], r.frameStart + k)
    })
    const run = (policy: string) => {
      let nodeOf: ArrayLike<number> = []
      const res = runSimulationCore(
        experiment(
          socketPlusCxl((dramPages * PAGE) / 2 ** 30, 4 / 1024),
          workload,
          policy,
          {},
          {
            pageBytes: PAGE,
            durationS: 3,
          },
        ),
        BUILTIN_POLICIES,
        {},
        {},
        (setup) => (nodeOf = setup.core.frames.node),
      )
      return { res, inDram: phaseB.filter((p) => nodeOf[frameOf.get(p)!] === 0).length }
    }
    const oracle = run('oracle')
    expect(oracle.inDram).toBe(64)
    expect(run('first-touch').inDram).toBe(0)
    // What the top tier can serve at best in the last phase: its dramPages hottest pages' share.
    const last = phaseCounts(workload, workload.processes[0].phases.length - 1)
    const best =
      [...last]
        .sort((a, b) => b - a)
        .slice(0, dramPages)
        .reduce((s, x) => s + x, 0) / last.reduce((s, x) => s + x, 0)
    const hit = oracle.res.series.find((s) => s.key === 'topTierHitRatio')!.values
    expect(hit[hit.length - 1]).toBeGreaterThan(0.9 * best)
  })
})
