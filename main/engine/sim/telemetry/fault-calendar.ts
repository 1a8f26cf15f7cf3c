import { giveBackRunArray, runArray } from '../../memory/run-arrays'

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

/** Pushes held at most in a batch (28 bytes each). */
const MAX_STAGED = 1 << 18
/** Records per chunk. */
const CHUNK = 32
/**
 * A record is 16 bytes: u (virtual s) as a double, then the frame and a 32-bit tag the owner
 * defines (the hint-fault scanner packs the frame's sequence number and scan epoch into it).
 */
const REC_BYTES = 16

type Grown = Float64Array | Uint32Array | Int32Array

/** A copy of `a` with room for `cap` entries; new ones hold `fill`. */
function grown<T extends Grown>(a: T, cap: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(cap)
  if (fill !== 0) b.fill(fill)
  b.set(a as never)
  return b
}

/** A run array's copy with room for `cap` entries (the old one goes back to the pool). */
function grownRunArray(a: Int32Array<ArrayBuffer>, cap: number): Int32Array<ArrayBuffer> {
  const b = runArray(Int32Array, cap, 'any')
  b.set(a)
  giveBackRunArray(a)
  return b
}

/** `a` with `v` at index i, grown (doubled) when i is past its end. */
function pushed(a: Int32Array<ArrayBuffer>, i: number, v: number): Int32Array<ArrayBuffer> {
  const b = i < a.length ? a : grown(a, a.length * 2)
  b[i] = v
  return b
}

export class FaultCalendar {
  /** The pool: record r's u is f64[2r], its frame u32[4r + 2], its tag u32[4r + 3]. */
  private f64: Float64Array<ArrayBuffer>
  private u32: Uint32Array<ArrayBuffer>
  /** Next chunk of the same bucket, or -1. */
  private nextChunk: Int32Array<ArrayBuffer>
  private freeChunks: Int32Array<ArrayBuffer>
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
  /** Indices of the collected records, sorted by time slot. */
  private order = new Int32Array(1024)
  private offsets = new Int32Array(1024)
  private slots = new Uint16Array(1024)
  private readonly slotCount: Int32Array
  /** Records collected from the cursor's bucket, which stays attached: holes after release. */
  private holes = new Int32Array(256)
  private holeCount = 0
  /** Pushes held between beginBatch and endBatch. */
  private batching = false
  private staged = 0
  private stagedU = new Float64Array(1024)
  private stagedFrame = new Uint32Array(1024)
  private stagedTag = new Uint32Array(1024)
  private stagedKey = new Int32Array(1024)
  private stagedOrder = new Int32Array(1024)
  private groupCount = new Int32Array(1024)

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
    // Records, chunk links and the free list are written before they are read: any contents.
    this.f64 = runArray(Float64Array, (chunks * CHUNK * REC_BYTES) / 8, 'any')
    this.u32 = new Uint32Array(this.f64.buffer)
    this.nextChunk = runArray(Int32Array, chunks, 'any')
    this.freeChunks = runArray(Int32Array, chunks, 'any')
  }

  push(u: number, frame: number, tag: number): void {
    if (this.batching) {
      this.stage(u, frame, tag)
      return
    }
    this.file(u, frame, tag)
  }

  /**
   * Pushes until `endBatch` are held and filed then, grouped by bucket (stable, so each bucket
   * gets its records in push order, as if filed one by one). A scan window marks tens of
   * thousands of frames due over thousands of buckets: filed as drawn, nearly every record's
   * store went to a bucket tail no longer in cache (half of the scan's time on the bench
   * reference); grouped, a bucket's records are written together.
   */
  beginBatch(): void {
    this.batching = true
  }

  endBatch(): void {
    this.batching = false
    const n = this.staged
    this.staged = 0
    if (n === 0) return
    const su = this.stagedU
    const sf = this.stagedFrame
    const sq = this.stagedTag
    const key = this.stagedKey
    let lo = Infinity
    let hi = -Infinity
    for (let i = 0; i < n; i++) {
      let b = Math.floor(su[i] * this.invWidth)
      if (b < this.cursor) b = this.cursor
      key[i] = b
      if (b < lo) lo = b
      if (b > hi) hi = b
    }
    // Group by bucket, or by runs of 2^shift buckets when the span dwarfs the batch (nearby
    // tails still share the cache; each bucket keeps its push order either way).
    let shift = 0
    while ((hi - lo) >>> shift > 4 * n + 64) shift++
    const keys = ((hi - lo) >>> shift) + 1
    if (this.groupCount.length < keys + 1) this.groupCount = new Int32Array(keys + 1)
    const cnt = this.groupCount
    cnt.fill(0, 0, keys + 1)
    for (let i = 0; i < n; i++) {
      const g = (key[i] - lo) >>> shift
      key[i] = g
      cnt[g + 1]++
    }
    for (let g = 1; g <= keys; g++) cnt[g] += cnt[g - 1]
    const order = this.stagedOrder
    for (let i = 0; i < n; i++) order[cnt[key[i]]++] = i
    for (let k = 0; k < n; k++) {
      const i = order[k]
      this.file(su[i], sf[i], sq[i])
    }
  }

  private stage(u: number, frame: number, tag: number): void {
    if (this.staged === MAX_STAGED) {
      // Bounded memory: file what is held (in order, so each bucket's order is kept) and go on.
      this.endBatch()
      this.batching = true
    }
    const i = this.staged
    if (i === this.stagedU.length) {
      const cap = i * 2
      this.stagedU = grown(this.stagedU, cap)
      this.stagedFrame = grown(this.stagedFrame, cap)
      this.stagedTag = grown(this.stagedTag, cap)
      this.stagedKey = new Int32Array(cap)
      this.stagedOrder = new Int32Array(cap)
    }
    this.stagedU[i] = u
    this.stagedFrame[i] = frame
    this.stagedTag[i] = tag
    this.staged = i + 1
  }

  private file(u: number, frame: number, tag: number): void {
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
    const r = chunk * CHUNK + at
    this.f64[2 * r] = u
    this.u32[4 * r + 2] = frame
    this.u32[4 * r + 3] = tag
    this.count[b] = n + 1
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
    const f64 = runArray(Float64Array, (chunks * CHUNK * REC_BYTES) / 8, 'any')
    f64.set(this.f64)
    giveBackRunArray(this.f64)
    this.f64 = f64
    this.u32 = new Uint32Array(f64.buffer)
    this.nextChunk = grownRunArray(this.nextChunk, chunks)
    this.freeChunks = grownRunArray(this.freeChunks, chunks)
  }

  private growBuckets(min: number): void {
    const n = Math.max(min, this.count.length * 2)
    this.head = grown(this.head, n, -1)
    this.tail = grown(this.tail, n, -1)
    this.count = grown(this.count, n)
  }

  /** Detaches bucket b's chain (its chunks are freed by `release`); returns its head. */
  private detach(b: number): number {
    const h = this.head[b]
    for (let chunk = h; chunk >= 0; chunk = this.nextChunk[chunk]) {
      if (this.takenTop === this.taken.length) {
        this.taken = grown(this.taken, this.taken.length * 2)
      }
      this.taken[this.takenTop++] = chunk
    }
    this.head[b] = -1
    this.tail[b] = -1
    this.count[b] = 0
    return h
  }

  /**
   * Takes every record with u < u1, in time order at `timeSlots` resolution over [u0, u1) (a stable
   * counting sort: bucket and filing order within a slot; earlier u, filed late, counts as u0).
   * Records of the last bucket at or after u1 are filed again. Returns how many were taken; their
   * indices are `ordered()`, read with `doubles()` and `words()`; call `release()` after delivering them.
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
    const f64 = this.f64
    for (let b = this.cursor; b <= last; b++) {
      const m = this.count[b]
      if (m === 0) continue
      // Buckets before the last are taken whole. The last keeps its records at or after u1 in
      // place: the ones taken now become holes once delivered (release), and the walk of a later
      // epoch passes over them (cheaper than filing the rest again, and the order is the same).
      const whole = b < last
      let left = m
      const head = whole ? this.detach(b) : this.head[b]
      for (let chunk = head; chunk >= 0; chunk = this.nextChunk[chunk]) {
        const base = chunk * CHUNK
        const r = left < CHUNK ? left : CHUNK
        left -= r
        for (let j = 0; j < r; j++) {
          const k = base + j
          const u = f64[2 * k]
          // A hole (NaN) fails both tests.
          if (!(u < u1)) continue
          if (!whole) this.holes = pushed(this.holes, this.holeCount++, k)
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
    for (let s = 1; s <= T; s++) cnt[s] += cnt[s - 1]
    const order = this.order
    for (let i = 0; i < n; i++) order[cnt[slots[i]]++] = offsets[i]
    return n
  }

  /** Indices of the records `collect` took, in time order. */
  ordered(): Int32Array {
    return this.order
  }

  /** The pool as doubles: record r's u is [2r] (re-read after any push: filing can grow it). */
  doubles(): Float64Array {
    return this.f64
  }

  /** The pool as 32-bit words: record r's frame is [4r + 2], its tag [4r + 3]. */
  words(): Uint32Array {
    return this.u32
  }

  /** Frees the chunks of the records last collected (after delivering them). */
  release(): void {
    for (let i = 0; i < this.takenTop; i++) this.freeChunks[this.freeTop++] = this.taken[i]
    this.takenTop = 0
    // Records taken out of the cursor's bucket, which stays: holes from now on.
    for (let i = 0; i < this.holeCount; i++) this.f64[2 * this.holes[i]] = NaN
    this.holeCount = 0
  }

  /** Drops every pending record (all of them void): frees their chunks. */
  clear(): void {
    for (let b = this.cursor; b < this.count.length; b++) if (this.head[b] >= 0) this.detach(b)
    this.release()
  }
}
