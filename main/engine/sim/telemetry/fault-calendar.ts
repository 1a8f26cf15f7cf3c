import { SEQ_RANGE } from '../frames'

/**
 * Pending hint faults filed by epoch: a calendar queue in flat typed arrays. Records live in
 * fixed-size chunks of one shared pool, linked per epoch, so filing a fault touches only small
 * per-epoch index arrays and the chunk's tail (no per-epoch object or array to chase), and a
 * delivered epoch's chunks go back to a free list for reuse while still in cache. Millions of
 * events neither allocate nor churn the GC.
 */

/** Records per chunk. */
const CHUNK = 64
/** Doubles per record: [frame, timeMs, scanEpoch × SEQ_RANGE + seq] (integers exact in a double). */
const REC = 3

export class FaultCalendar {
  private pool: Float64Array
  /** Next chunk of the same epoch, or -1. */
  private nextChunk: Int32Array
  private freeChunks: Int32Array
  private freeTop = 0
  /** Chunks handed out of the pool so far (the rest of the pool is untouched). */
  private usedChunks = 0
  private readonly head: Int32Array
  private readonly tail: Int32Array
  private readonly count: Int32Array
  /** Pool offsets of the delivered epoch's records, sorted by time slot. */
  private order = new Int32Array(1024)
  private slots = new Uint16Array(1024)
  private readonly slotCount: Int32Array

  /** `expectedEvents` sizes the pool up front (growing it copies and touches fresh pages). */
  constructor(
    epochs: number,
    private readonly timeSlots: number,
    expectedEvents = 0,
  ) {
    this.head = new Int32Array(epochs).fill(-1)
    this.tail = new Int32Array(epochs).fill(-1)
    this.count = new Int32Array(epochs)
    this.slotCount = new Int32Array(timeSlots + 1)
    const chunks = Math.max(256, Math.ceil(expectedEvents / CHUNK))
    this.pool = new Float64Array(chunks * CHUNK * REC)
    this.nextChunk = new Int32Array(chunks)
    this.freeChunks = new Int32Array(chunks)
  }

  /** Records filed for epoch e. */
  size(e: number): number {
    return this.count[e]
  }

  push(e: number, frame: number, seq: number, timeMs: number, scanEpoch: number): void {
    const n = this.count[e]
    let chunk = this.tail[e]
    const at = n % CHUNK
    if (at === 0) {
      const fresh = this.takeChunk()
      if (chunk < 0) this.head[e] = fresh
      else this.nextChunk[chunk] = fresh
      this.tail[e] = chunk = fresh
    }
    const k = (chunk * CHUNK + at) * REC
    const d = this.pool
    d[k] = frame
    d[k + 1] = timeMs
    d[k + 2] = scanEpoch * SEQ_RANGE + seq
    this.count[e] = n + 1
  }

  private takeChunk(): number {
    let c: number
    if (this.freeTop > 0) c = this.freeChunks[--this.freeTop]
    else {
      if (this.usedChunks === this.nextChunk.length) this.grow()
      c = this.usedChunks++
    }
    this.nextChunk[c] = -1
    return c
  }

  private grow(): void {
    const chunks = this.nextChunk.length * 2
    const pool = new Float64Array(chunks * CHUNK * REC)
    pool.set(this.pool)
    this.pool = pool
    const next = new Int32Array(chunks)
    next.set(this.nextChunk)
    this.nextChunk = next
    const free = new Int32Array(chunks)
    free.set(this.freeChunks)
    this.freeChunks = free
  }

  /**
   * Epoch e's records in time order at `timeSlots` resolution over [startMs, startMs + spanMs)
   * (a stable counting sort: filing order within a slot). Returns pool offsets of the records;
   * read them with `data()` before the next push, then call `release(e)`.
   */
  sortedByTime(e: number, startMs: number, spanMs: number): Int32Array {
    const n = this.count[e]
    if (this.order.length < n) {
      const cap = Math.max(n, this.order.length * 2)
      this.order = new Int32Array(cap)
      this.slots = new Uint16Array(cap)
    }
    const T = this.timeSlots
    const cnt = this.slotCount
    const slots = this.slots
    const order = this.order
    const d = this.pool
    cnt.fill(0)
    const scale = T / spanMs
    // First pass: each record's slot, and its pool offset in `order` (filing order).
    let i = 0
    for (let chunk = this.head[e]; chunk >= 0; chunk = this.nextChunk[chunk]) {
      const base = chunk * CHUNK * REC
      const m = Math.min(CHUNK, n - i)
      for (let j = 0; j < m; j++, i++) {
        const k = base + j * REC
        const s = Math.floor((d[k + 1] - startMs) * scale)
        const slot = s < 0 ? 0 : s >= T ? T - 1 : s
        slots[i] = slot
        cnt[slot + 1]++
      }
    }
    for (let s = 1; s <= T; s++) cnt[s] += cnt[s - 1]
    i = 0
    for (let chunk = this.head[e]; chunk >= 0; chunk = this.nextChunk[chunk]) {
      const base = chunk * CHUNK * REC
      const m = Math.min(CHUNK, n - i)
      for (let j = 0; j < m; j++, i++) order[cnt[slots[i]]++] = base + j * REC
    }
    return order
  }

  /** The pool the offsets of `sortedByTime` point into. */
  data(): Float64Array {
    return this.pool
  }

  /** Drops every record filed for epoch `from` or later (all of them void), freeing their chunks. */
  clearFrom(from: number): void {
    for (let e = Math.max(0, from); e < this.count.length; e++)
      if (this.head[e] >= 0) this.release(e)
  }

  /** Frees epoch e's chunks (after delivery). */
  release(e: number): void {
    for (let chunk = this.head[e]; chunk >= 0;) {
      const next = this.nextChunk[chunk]
      this.freeChunks[this.freeTop++] = chunk
      chunk = next
    }
    this.head[e] = -1
    this.tail[e] = -1
    this.count[e] = 0
  }
}
