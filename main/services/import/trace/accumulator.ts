/**
 * Streaming per-page access counts of a trace, in a bounded number of windows (phases).
 *
 * Memory is O(distinct pages × windows), never O(accesses): a 10 GB trace of a 1 GiB working set
 * keeps ~262k pages per window. Windows have one width; when an access falls past the last one,
 * neighbouring windows are merged pairwise and the width doubles, so the trace's length need not
 * be known in advance. The clock is the trace's own time (ns) or its access count.
 */
export interface ProcessKey {
  /** Address space: threads of one pid share regions. */
  pid: string
  /** One workload process per thread (or per pid when the trace has no threads). */
  tid: string
}

interface WindowCounts {
  /** page number → accesses, per process index. */
  pages: Map<number, number>[]
  accesses: number[]
}

export class TraceAccumulator {
  readonly processes: ProcessKey[] = []
  private readonly processIndex = new Map<string, number>()
  windows: WindowCounts[] = []
  widthTicks: number
  startTick: number | null = null
  lastTick = 0
  writes: number[] = []
  totalAccesses = 0

  constructor(
    readonly maxWindows: number,
    initialWidthTicks: number,
    /** Bytes per counted page (4096, or a coarser --page-bytes). */
    readonly pageShift: number,
  ) {
    this.widthTicks = initialWidthTicks
  }

  processOf(pid: string, tid: string): number {
    const key = `${pid}\u0000${tid}`
    let i = this.processIndex.get(key)
    if (i === undefined) {
      i = this.processes.length
      this.processes.push({ pid, tid })
      this.processIndex.set(key, i)
      this.writes.push(0)
    }
    return i
  }

  /** One access of `count` (damo: a page's sampled frequency) at a page number at tick t. */
  add(process: number, page: number, tick: number, isWrite: boolean, count = 1): void {
    if (this.startTick === null) this.startTick = tick
    const rel = Math.max(0, tick - this.startTick)
    let w = Math.floor(rel / this.widthTicks)
    while (w >= this.maxWindows) {
      this.mergePairs()
      w = Math.floor(rel / this.widthTicks)
    }
    while (this.windows.length <= w) this.windows.push({ pages: [], accesses: [] })
    const win = this.windows[w]
    const map = (win.pages[process] ??= new Map())
    map.set(page, (map.get(page) ?? 0) + count)
    win.accesses[process] = (win.accesses[process] ?? 0) + count
    if (isWrite) this.writes[process] += count
    this.totalAccesses += count
    if (tick > this.lastTick) this.lastTick = tick
  }

  private mergePairs(): void {
    const merged: WindowCounts[] = []
    for (let i = 0; i < this.windows.length; i += 2) {
      const a = this.windows[i]
      const b = this.windows[i + 1]
      if (b)
        b.pages.forEach((map, p) => {
          if (!map) return
          const into = (a.pages[p] ??= new Map())
          for (const [page, n] of map) into.set(page, (into.get(page) ?? 0) + n)
          a.accesses[p] = (a.accesses[p] ?? 0) + (b.accesses[p] ?? 0)
        })
      merged.push(a)
    }
    this.windows = merged
    this.widthTicks *= 2
  }
}
