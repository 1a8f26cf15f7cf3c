/**
 * HeMem's per-page sample counts [HEMEM] (cuhk-mass/hemem pebs.c, `pebs_kscand`): loads and
 * stores counted apart, a page hot once either reaches its threshold, and cooling by a global
 * clock: when a count passes the cooling threshold the clock ticks, and each page's counts are
 * halved once per tick the next time the page is looked at (`accesses >>= global_clock -
 * local_clock`, pebs.c from commit 57fb561; the SOSP branch halved the hot lists at once).
 */
export class PageCounts {
  readonly reads: Uint16Array
  readonly writes: Uint16Array
  private readonly clock: Uint32Array
  private globalClock = 0
  /** Cooling ticks so far. */
  get coolings(): number {
    return this.globalClock
  }

  constructor(
    frames: number,
    private readonly hotRead: number,
    private readonly hotWrite: number,
    private readonly coolAt: number,
  ) {
    this.reads = new Uint16Array(frames)
    this.writes = new Uint16Array(frames)
    this.clock = new Uint32Array(frames)
  }

  /** Applies the cooling ticks the page missed. */
  private catchUp(f: number): void {
    const lag = this.globalClock - this.clock[f]
    if (lag === 0) return
    this.clock[f] = this.globalClock
    if (lag >= 16) {
      this.reads[f] = 0
      this.writes[f] = 0
    } else {
      this.reads[f] >>>= lag
      this.writes[f] >>>= lag
    }
  }

  /** One sample; returns whether the page is hot after it. */
  add(f: number, write: boolean): boolean {
    this.catchUp(f)
    let c: number
    if (write) c = this.writes[f] = Math.min(0xffff, this.writes[f] + 1)
    else c = this.reads[f] = Math.min(0xffff, this.reads[f] + 1)
    const hot = this.isHotNow(f)
    if (c > this.coolAt) {
      this.globalClock++
      this.clock[f] = this.globalClock - 1
    }
    return hot
  }

  /** Whether the page is hot with its counts cooled to now. */
  hot(f: number): boolean {
    this.catchUp(f)
    return this.isHotNow(f)
  }

  private isHotNow(f: number): boolean {
    return this.writes[f] >= this.hotWrite || this.reads[f] >= this.hotRead
  }
}
