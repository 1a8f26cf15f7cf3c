import {
  formatTag,
  parseDocument,
  summariseIssues,
  TRACE_PAGE_BYTES,
  type Workload,
  type WorkloadInput,
} from '../../../../shared/formats'
import { ImportError } from '../errors'
import type { TraceAccumulator } from './accumulator'

/** Touched pages further apart than this start a new region (heap, mmaps and stack are GiBs apart). */
export const REGION_GAP_BYTES = 256 * 2 ** 20
/** Process parameters a memory trace does not carry; each use is a warning. */
export const TRACE_PROCESS_DEFAULTS = { computeNsPerOp: 50, accessesPerOp: 1, mlp: 4 }

export interface TraceBuildOptions {
  name: string
  source: string
  initiator: string
  /** Untimed traces: the length of the run the access count is spread over, s. */
  durationS: number
  timed: boolean
}

export interface TraceSummary {
  accesses: number
  footprintBytes: number
  processes: number
  regions: number
  phases: number
}

type RegionPages = { id: string; pid: string; pages: Float64Array }

/**
 * Accumulated counts → `tierlab.workload/v1`. Regions are the trace's touched pages grouped by
 * address range per address space, in the order the trace first touched them, untouched pages left out, so the workload's footprint is the
 * trace's footprint exactly (the kernel allocates only touched pages) and each 4 KiB page keeps its
 * count (`traces`, replayed by the trace pattern). One process per thread, one phase per window.
 */
export function buildTraceWorkload(
  acc: TraceAccumulator,
  opts: TraceBuildOptions,
): { workload: Workload; warnings: string[]; summary: TraceSummary } {
  const warnings: string[] = []
  if (acc.totalAccesses === 0)
    throw new ImportError(
      opts.source,
      'has no memory accesses (only instruction fetches, markers or empty samples); record loads and stores (Lackey --trace-mem=yes, perf mem record, drmemtrace)',
    )
  const pageBytes = 2 ** acc.pageShift
  const basePerPage = pageBytes / TRACE_PAGE_BYTES
  const regions = groupRegions(acc, pageBytes)
  const windows = acc.windows
  const procIds = acc.processes.map((p, i) => processId(p.pid, p.tid, i, acc.processes.length))

  const traces: NonNullable<WorkloadInput['traces']> = []
  // accessesOf[p][w] = access entries of process p in window w (null when idle).
  const accessesOf = acc.processes.map(() =>
    windows.map(() => null as null | { region: string; share: number; trace: string }[]),
  )
  const firstTouch = new Map<string, { window: number; process: number; count: number }>()
  windows.forEach((win, w) => {
    acc.processes.forEach((proc, p) => {
      const map = win.pages[p]
      const total = win.accesses[p] ?? 0
      if (!map || total === 0) return
      const entries: { region: string; share: number; trace: string }[] = []
      for (const r of regions) {
        if (r.pid !== proc.pid) continue
        const runs: [number, number][] = []
        let sum = 0
        for (let i = 0; i < r.pages.length; i++) {
          const count = map.get(r.pages[i]) ?? 0
          sum += count
          const perBase = count / basePerPage
          const last = runs[runs.length - 1]
          if (last && last[1] === perBase) last[0] += basePerPage
          else runs.push([basePerPage, perBase])
        }
        if (sum === 0) continue
        const id = `${r.id}.${procIds[p]}.w${w}`.slice(0, 64)
        traces.push({ id, pages: runs })
        entries.push({ region: r.id, share: sum / total, trace: id })
        const ft = firstTouch.get(r.id)
        if (!ft || (ft.window === w && sum > ft.count))
          firstTouch.set(r.id, { window: w, process: p, count: sum })
      }
      accessesOf[p][w] = normaliseShares(entries)
    })
  })

  let idleWarned = false
  const phaseSeconds = phaseDurationsS(acc, opts)
  const processes: WorkloadInput['processes'] = acc.processes.map((proc, p) => {
    const total = windows.reduce((s, win) => s + (win.accesses[p] ?? 0), 0)
    const phases = windows.map((_, w) => {
      let entries = accessesOf[p][w]
      if (!entries) {
        // An idle window keeps the nearest busy window's accesses (a phase needs at least one).
        const near = [...accessesOf[p].keys()]
          .filter((k) => accessesOf[p][k])
          .sort((a, b) => Math.abs(a - w) - Math.abs(b - w))[0]
        entries = accessesOf[p][near] as NonNullable<typeof entries>
        if (!idleWarned)
          warnings.push(
            `some processes make no accesses in some windows; those phases repeat the nearest busy window`,
          )
        idleWarned = true
      }
      return {
        name: `window ${w + 1}`,
        durationS: phaseSeconds[w],
        accesses: entries.map((e) => ({
          region: e.region,
          share: e.share,
          pattern: { kind: 'trace' as const, trace: e.trace },
        })),
      }
    })
    return {
      id: procIds[p],
      name: proc.pid === proc.tid ? `pid ${proc.pid}` : `pid ${proc.pid} thread ${proc.tid}`,
      initiator: opts.initiator,
      threads: 1,
      ...TRACE_PROCESS_DEFAULTS,
      writeFraction: total > 0 ? Math.min(1, acc.writes[p] / total) : 0,
      phases,
    }
  })
  warnings.push(
    `computeNsPerOp ${TRACE_PROCESS_DEFAULTS.computeNsPerOp} ns and mlp ${TRACE_PROCESS_DEFAULTS.mlp} are defaults (a memory trace does not carry them); set processes[].computeNsPerOp and mlp from \`perf stat\``,
  )
  if (!opts.timed)
    warnings.push(
      `the trace has no timestamps; its ${windows.length} phase(s) split it by access count over ${opts.durationS} s (--duration-s): an experiment shorter than that replays only the first phases`,
    )

  const footprintPages = regions.reduce((s, r) => s + r.pages.length, 0)
  const doc: WorkloadInput = {
    format: formatTag('workload'),
    name: opts.name,
    description: `Imported by tierlab import-trace from ${opts.source}: ${acc.totalAccesses} accesses, ${footprintPages * pageBytes} bytes touched in ${regions.length} address range(s), ${acc.processes.length} process(es)/thread(s), ${windows.length} phase(s). Regions hold only touched pages, in address order, and are listed in the order the trace first touched them.`,
    regions: regions.map((r) => ({
      id: r.id,
      name: `${r.pid} 0x${(r.pages[0] * pageBytes).toString(16)}–0x${((r.pages[r.pages.length - 1] + 1) * pageBytes).toString(16)}`.slice(
        0,
        120,
      ),
      sizeGiB: (r.pages.length * pageBytes) / 2 ** 30,
      firstTouch:
        procIds[firstTouch.get(r.id)?.process ?? acc.processes.findIndex((x) => x.pid === r.pid)],
      allocation: 'start' as const,
    })),
    processes,
    traces,
  }
  const parsed = parseDocument('workload', doc)
  if (!parsed.ok)
    throw new ImportError(
      opts.source,
      `the imported workload is not valid (${summariseIssues('workload', parsed.issues)})`,
    )
  return {
    workload: parsed.value,
    warnings,
    summary: {
      accesses: acc.totalAccesses,
      footprintBytes: footprintPages * pageBytes,
      processes: processes.length,
      regions: regions.length,
      phases: windows.length,
    },
  }
}

/**
 * Each window's length, s. A timed trace's windows last their width of the trace's own time, but the
 * last one only as far as the trace goes. An untimed trace's windows are equal in access count except
 * the last (the width doubles until the trace fits), so each gets its share of `durationS` by its
 * share of the accesses: the replay then spends as long in each phase as the trace did.
 */
function phaseDurationsS(acc: TraceAccumulator, opts: TraceBuildOptions): number[] {
  const last = acc.windows.length - 1
  if (opts.timed) {
    // The last window ends at the last event; a lone event there still gets 1 ms (a few epochs).
    const spanTicks = acc.lastTick - (acc.startTick ?? 0)
    const lastTicks = Math.max(spanTicks - last * acc.widthTicks, Math.min(acc.widthTicks, 1e6))
    return acc.windows.map((_, w) => (w < last ? acc.widthTicks : lastTicks) / 1e9)
  }
  return acc.windows.map((win) => {
    const n = win.accesses.reduce((s, x) => s + (x ?? 0), 0)
    return (opts.durationS * n) / acc.totalAccesses
  })
}

/** Shares that add up to 1 exactly (the schema checks the sum to 1e-6). */
function normaliseShares<T extends { share: number }>(entries: T[]): T[] {
  const sum = entries.reduce((s, e) => s + e.share, 0)
  entries.forEach((e) => (e.share /= sum))
  const rest = 1 - entries.slice(1).reduce((s, e) => s + e.share, 0)
  if (entries.length > 0) entries[0].share = rest
  return entries
}

function processId(pid: string, tid: string, i: number, n: number): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_.:-]/g, '').slice(0, 40)
  if (n === 1) return 'p0'
  return `p${i}-${clean(pid === tid ? pid : tid)}`.slice(0, 64)
}

function groupRegions(acc: TraceAccumulator, pageBytes: number): RegionPages[] {
  const byPid = new Map<string, Set<number>>()
  for (const win of acc.windows)
    win.pages.forEach((map, p) => {
      if (!map) return
      const pid = acc.processes[p].pid
      let set = byPid.get(pid)
      if (!set) byPid.set(pid, (set = new Set()))
      for (const page of map.keys()) set.add(page)
    })
  const gap = Math.max(1, REGION_GAP_BYTES / pageBytes)
  const out: (RegionPages & { firstTick: number })[] = []
  for (const [pid, set] of byPid) {
    const pages = Float64Array.from(set).sort()
    const own: typeof out = []
    let start = 0
    for (let i = 1; i <= pages.length; i++) {
      if (i === pages.length || pages[i] - pages[i - 1] > gap) {
        own.push({ id: '', pid, pages: pages.subarray(start, i), firstTick: Infinity })
        start = i
      }
    }
    // Each chunk's first touch goes to the region holding its pages (address order: bisect).
    const chunkPages = 2 ** acc.chunkShift
    acc.processes.forEach((proc, p) => {
      if (proc.pid !== pid) return
      for (const [chunk, tick] of acc.firstTickOfChunk[p]) {
        const lo = chunk * chunkPages
        let a = 0
        let b = own.length - 1
        while (a < b) {
          const m = (a + b + 1) >> 1
          if (own[m].pages[0] <= lo + chunkPages - 1) a = m
          else b = m - 1
        }
        const r = own[a]
        if (r.pages[r.pages.length - 1] >= lo && tick < r.firstTick) r.firstTick = tick
      }
    })
    out.push(...own)
  }
  // First-touch order: the engine allocates regions in file order, as the program touched them.
  out.sort((x, y) => x.firstTick - y.firstTick)
  return out.map((r, k) => ({ id: `r${k}`, pid: r.pid, pages: r.pages }))
}
