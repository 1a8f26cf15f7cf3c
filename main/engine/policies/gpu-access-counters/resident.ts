/** A granule the driver migrated into a GPU's memory. */
export interface ResidentGranule {
  /** First frame and frame count of the granule. */
  start: number
  frames: number
  /** The GPU memory node it went to, and the node it came from (where eviction sends it). */
  gpuNode: number
  sourceNode: number
}

/**
 * The granules migrated into GPU memory, oldest first. UVM evicts GPU memory by root chunk in
 * LRU order, a chunk's position refreshed when the driver allocates or migrates into it: the GPU's
 * own accesses to resident memory raise no counter and no fault, so the driver cannot see them
 * [UVM-AC]. What came in longest ago therefore leaves first, however hot it still is (research
 * such as [GPUEXT] replaces exactly this order). Also counts evictions per granule for thrashing
 * detection [UVM-TH].
 */
export class ResidentGranules {
  private readonly byStart = new Map<number, ResidentGranule>()
  private readonly evictions = new Map<number, number>()

  get size(): number {
    return this.byStart.size
  }

  /** Records a migration into GPU memory; a granule already resident becomes the youngest. */
  add(g: ResidentGranule): void {
    this.byStart.delete(g.start)
    this.byStart.set(g.start, g)
  }

  /** Forgets an evicted granule and returns how often it was evicted so far. */
  evicted(start: number): number {
    this.byStart.delete(start)
    const n = (this.evictions.get(start) ?? 0) + 1
    this.evictions.set(start, n)
    return n
  }

  /** Forgets a granule that holds no GPU memory any more. */
  forget(start: number): void {
    this.byStart.delete(start)
  }

  evictionsOf(start: number): number {
    return this.evictions.get(start) ?? 0
  }

  /** Oldest first; deleting the current entry while iterating is safe (Map semantics). */
  values(): IterableIterator<ResidentGranule> {
    return this.byStart.values()
  }
}
