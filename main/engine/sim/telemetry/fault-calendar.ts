import { SEQ_RANGE } from '../frames'

/**
 * Pending hint faults keyed by *virtual time*: a calendar queue in flat typed arrays.
 *
 * A frame's CPU accesses arrive at its weight × the CPU rate scale, and the scale changes from
 * epoch to epoch. Measured in virtual seconds (u, with du = scale × dt) every frame's stream has
 * the constant rate of its weight, so a pending fault is drawn once, at u = now + Exp(weight), and
 * stays right however the scale moves afterwards (a time change of the Poisson process). An epoch
 * takes the records whose u falls within the virtual time it covers, [U0, U0 + scale × epoch).
 *
 * Records live in fixed-size chunks of one shared pool, linked per bucket of virtual time, so
 * filing touches only small per-bucket index arrays and the chunk's tail, and delivered chunks go
 * back to a free list for reuse while still in cache. Millions of events neither allocate nor
 * churn the GC.
 */

/** Records per chunk. */
const CHUNK = 32
/** Doubles per record: [frame, u (virtual s), scanEpoch × SEQ_RANGE + seq] (integers exact). */
const REC = 3

export class FaultCalendar {
  private pool: Float64Array
  /** Next chunk of the same bucket, or -1. */
  private nextChunk: Int32Array
  private freeChunks: Int32Array
  private freeTop = 0
  /** Chunks handed out of the pool so far (the rest of the pool is untouched). */
  private usedChunks = 0
  private head: Int32Array
  private tail: Int32Array
  private count: Int32Array
  /** Buckets of virtual time: bucket b holds u in [b, b + 1) × width (the cursor's also earlier u). */
  private readonly invWidth: number
  /** First bucket not yet taken in full: records filed for earlier u land here. */
  private cursor = 0
  /** Chunks of the buckets taken by `collect`, freed by `release` once they are delivered. */
  private taken = new Int32Array(256)
  private takenTop = 0
  /** Pool offsets of the collected records, sorted by time slot. */
  private order = new Int32Array(1024)
  private offsets = new Int32Array(1024)
  private slots = new Uint16Array(1024)
  private readonly slotCount: Int32Array
  /** Records filed and not yet collected or cleared (stale ones included). */
  pending = 0

  /**
   * `widthU`: a bucket's span of virtual time (s); `expectedEvents` sizes the pool up front
   * (growing it copies and touches fresh pages).
   */
  constructor(
    widthU: number,
    private readonly timeSlots: number,
    expectedEvents = 0,
  ) {
    this.invWidth = 1 / widthU
    this.head = new Int32Array(1024).fill(-1)
    this.tail = new Int32Array(1024).fill(-1)
    this.count = new Int32Array(1024)
    this.slotCount = new Int32Array(timeSlots + 1)
    const chunks = Math.max(256, Math.ceil(expectedEvents / CHUNK))
    this.pool = new Float64Array(chunks * CHUNK * REC)
    this.nextChunk = new Int32Array(chunks)
    this.freeChunks = new Int32Array(chunks)
  }

  push(u: number, frame: number, seq: number, scanEpoch: number): void {
    let b = Math.floor(u * this.invWidth)
    if (b < this.cursor) b = this.cursor
    if (b >= this.count.length) this.growBuckets(b + 1)
    const n = this.count[b]
    let chunk = this.tail[b]
    const at = n % CHUNK
    if (at === 0) {
      const fresh = this.takeChunk()
      if (chunk < 0) this.head[b] = fresh
      else this.nextChunk[chunk] = fresh
      this.tail[b] = chunk = fresh
    }
    const k = (chunk * CHUNK + at) * REC
    const d = this.pool
    d[k] = frame
    d[k + 1] = u
    d[k + 2] = scanEpoch * SEQ_RANGE + seq
    this.count[b] = n + 1
    this.pending++
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

  private growBuckets(min: number): void {
    const n = Math.max(min, this.count.length * 2)
    const head = new Int32Array(n).fill(-1)
    head.set(this.head)
    const tail = new Int32Array(n).fill(-1)
    tail.set(this.tail)
    const count = new Int32Array(n)
    count.set(this.count)
    this.head = head
    this.tail = tail
    this.count = count
  }

  /** Detaches bucket b's chain (its chunks are freed by `release`); returns its head. */
  private detach(b: number): number {
    const h = this.head[b]
    for (let chunk = h; chunk >= 0; chunk = this.nextChunk[chunk]) {
      if (this.takenTop === this.taken.length) {
        const t = new Int32Array(this.taken.length * 2)
        t.set(this.taken)
        this.taken = t
      }
      this.taken[this.takenTop++] = chunk
    }
    this.head[b] = -1
    this.tail[b] = -1
    this.pending -= this.count[b]
    this.count[b] = 0
    return h
  }

  /**
   * Takes every record with u < u1, in time order at `timeSlots` resolution over [u0, u1) (a stable
   * counting sort: bucket and filing order within a slot; earlier u, filed late, counts as u0).
   * Records of the last bucket at or after u1 are filed again. Returns how many were taken; their
   * pool offsets are `ordered()`, read with `data()`; call `release()` after delivering them.
   */
  collect(u0: number, u1: number): number {
    let last = Math.floor(u1 * this.invWidth)
    if (last < this.cursor) last = this.cursor
    if (last >= this.count.length) this.growBuckets(last + 1)
    let total = 0
    for (let b = this.cursor; b <= last; b++) total += this.count[b]
    if (this.offsets.length < total) {
      const cap = Math.max(total, this.offsets.length * 2)
      this.order = new Int32Array(cap)
      this.offsets = new Int32Array(cap)
      this.slots = new Uint16Array(cap)
    }
    const T = this.timeSlots
    const cnt = this.slotCount
    const slots = this.slots
    const offsets = this.offsets
    cnt.fill(0)
    const span = u1 - u0
    const perU = span > 0 ? T / span : 0
    let n = 0
    // Records of the last bucket at or after u1 go back after the walk (filing can grow the pool).
    let again = 0
    const d = this.pool
    for (let b = this.cursor; b <= last; b++) {
      const m = this.count[b]
      if (m === 0) continue
      let left = m
      for (let chunk = this.detach(b); chunk >= 0; chunk = this.nextChunk[chunk]) {
        const base = chunk * CHUNK * REC
        const r = left < CHUNK ? left : CHUNK
        left -= r
        for (let j = 0; j < r; j++) {
          const k = base + j * REC
          const u = d[k + 1]
          if (u >= u1) {
            offsets[total - 1 - again++] = k
            continue
          }
          const s = Math.floor((u - u0) * perU)
          const slot = s < 0 ? 0 : s >= T ? T - 1 : s
          slots[n] = slot
          offsets[n] = k
          cnt[slot + 1]++
          n++
        }
      }
    }
    this.cursor = last
    for (let i = 0; i < again; i++) {
      const k = offsets[total - 1 - i]
      const tag = this.pool[k + 2]
      const seq = tag % SEQ_RANGE
      this.push(this.pool[k + 1], this.pool[k], seq, (tag - seq) / SEQ_RANGE)
    }
    for (let s = 1; s <= T; s++) cnt[s] += cnt[s - 1]
    const order = this.order
    for (let i = 0; i < n; i++) order[cnt[slots[i]]++] = offsets[i]
    return n
  }

  /** Pool offsets of the records `collect` took, in time order. */
  ordered(): Int32Array {
    return this.order
  }

  /** The pool the offsets point into (re-read after any push: filing can grow it). */
  data(): Float64Array {
    return this.pool
  }

  /** Frees the chunks of the records last collected (after delivering them). */
  release(): void {
    for (let i = 0; i < this.takenTop; i++) this.freeChunks[this.freeTop++] = this.taken[i]
    this.takenTop = 0
  }

  /** Drops every pending record (all of them void): frees their chunks. */
  clear(): void {
    for (let b = this.cursor; b < this.count.length; b++) if (this.head[b] >= 0) this.detach(b)
    this.release()
  }
}
