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
  /**
   * Per process, the tick each 2 MiB chunk of addresses was first touched: regions are then
   * allocated in the order the program first touched them, as first-touch placement did. Chunks,
   * not pages, keep this 1/512 of the page counts' size.
   */
  readonly firstTickOfChunk: Map<number, number>[] = []
  readonly chunkShift: number

  constructor(
    readonly maxWindows: number,
    initialWidthTicks: number,
    /** Bytes per counted page (4096, or a coarser --page-bytes). */
    readonly pageShift: number,
  ) {
    this.widthTicks = initialWidthTicks
    this.chunkShift = Math.max(0, 21 - pageShift)
  }

  processOf(pid: string, tid: string): number {
    const key = `${pid}\u0000${tid}`
    let i = this.processIndex.get(key)
    if (i === undefined) {
      i = this.processes.length
      this.processes.push({ pid, tid })
      this.processIndex.set(key, i)
      this.writes.push(0)
      this.firstTickOfChunk.push(new Map())
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
    const prev = map.get(page)
    // A page's first access is its first in some window: only then can a chunk's first tick change.
    if (prev === undefined) {
      const chunk = Math.floor(page / 2 ** this.chunkShift)
      const first = this.firstTickOfChunk[process]
      const t = first.get(chunk)
      if (t === undefined || tick < t) first.set(chunk, tick)
    }
    map.set(page, (prev ?? 0) + count)
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
