/**
 * Per-frame typed arrays that one run hands on to the next run in the same process.
 *
 * The first write to a fresh page of memory is a page fault, and on the VMs this project
 * runs on a fault is expensive: touching 100 MiB of new memory takes ~300 ms (firecracker
 * guest, 2026-12-06). That is ~3 ms per MiB, against ~0.1 ms per MiB to zero memory already
 * mapped. The bench reference holds ~45 B per frame over 4 Mi frames (~180 MiB), so a run
 * spent about half a second faulting in its arrays. The freed arrays then go back to the
 * kernel, so the next run paid the same again.
 *
 * The pool keeps them instead. A run opens a scope (`withRunArrays`), and arrays it asks for
 * with `runArray` come from the previous run's buffers of the same byte length, zeroed, or are
 * new. When the scope closes, every buffer the run took is kept for the next run, and the
 * previous run's buffers it did not reuse are dropped. So between runs the pool holds one run's
 * arrays, at most MAX_POOLED_BYTES; a run of another size holds those beside its own until it
 * ends (`releaseRunArrays` drops them at once). Outside a scope (a unit test building a FrameTable, the workload preview) `runArray` is
 * plain `new`.
 *
 * A finished run's arrays may be reused by the next run, so nothing may read them after its
 * run returns (the results are copies). Arrays below MIN_POOLED_BYTES are not worth it, and
 * runs holding over MAX_POOLED_BYTES give their memory back.
 */

type TypedArray =
  | Uint8Array<ArrayBuffer>
  | Uint16Array<ArrayBuffer>
  | Int16Array<ArrayBuffer>
  | Uint32Array<ArrayBuffer>
  | Int32Array<ArrayBuffer>
  | Float32Array<ArrayBuffer>
  | Float64Array<ArrayBuffer>

interface TypedArrayClass<T extends TypedArray> {
  new (length: number): T
  new (buffer: ArrayBuffer): T
  readonly BYTES_PER_ELEMENT: number
}

/** 1 MiB: smaller arrays fault in a few hundred µs at most. */
const MIN_POOLED_BYTES = 1 << 20
/**
 * 512 MiB: a run holding more does not keep it for the next one (a bigger run spends longer per
 * page anyway, and a host between runs should not sit on gigabytes).
 */
const MAX_POOLED_BYTES = 2 ** 29
/**
 * Scratch arrays given back during a run stay free for reuse up to this many bytes in all; beyond
 * it they are garbage at once, as without the pool, so a big run's peak does not grow by them.
 */
const MAX_GIVEN_BACK_BYTES = 2 ** 26

/** Buffers free to take, by byte length: the previous run's, and the open run's given back. */
let free = new Map<number, ArrayBuffer[]>()
/** Buffers the open run holds; null outside a run's scope. */
let held: Set<ArrayBuffer> | null = null
/** Buffers the open run gave back (they are in `free` until taken again), and their bytes. */
const givenBack = new Set<ArrayBuffer>()
let givenBackBytes = 0

function addFree(pool: Map<number, ArrayBuffer[]>, b: ArrayBuffer): void {
  const list = pool.get(b.byteLength)
  if (list) list.push(b)
  else pool.set(b.byteLength, [b])
}

/**
 * An array of `length` elements, reusing a buffer of the previous run when one fits. Its contents:
 * zero by default; `fill` for every element; or `'any'` for a caller that writes every element
 * before reading it (a reused buffer then keeps the previous run's values: no pass to clear it).
 */
export function runArray<T extends TypedArray>(
  Type: TypedArrayClass<T>,
  length: number,
  contents: number | 'any' = 0,
): T {
  const bytes = length * Type.BYTES_PER_ELEMENT
  let a: T
  const reused = held === null || bytes < MIN_POOLED_BYTES ? undefined : free.get(bytes)?.pop()
  if (reused === undefined) {
    a = new Type(length)
    if (held !== null && bytes >= MIN_POOLED_BYTES) held.add(a.buffer)
    if (contents !== 'any' && contents !== 0) a.fill(contents)
    return a
  }
  if (givenBack.delete(reused)) givenBackBytes -= bytes
  held!.add(reused)
  a = new Type(reused)
  if (contents !== 'any') a.fill(contents)
  return a
}

/**
 * An array the run no longer needs (a scratch, or one replaced by a larger copy): free for the
 * rest of the run and the next one. The caller must not use it afterwards.
 */
export function giveBackRunArray(a: TypedArray): void {
  if (held === null || !held.delete(a.buffer)) return
  if (givenBackBytes + a.buffer.byteLength > MAX_GIVEN_BACK_BYTES) return
  givenBack.add(a.buffer)
  givenBackBytes += a.buffer.byteLength
  addFree(free, a.buffer)
}

/**
 * Runs `fn` as one run's scope: the arrays it takes with `runArray` are kept for the next scope
 * when it returns or throws; the previous run's buffers it did not take are dropped. A scope
 * opened inside another belongs to the outer one.
 */
export function withRunArrays<R>(fn: () => R): R {
  if (held !== null) return fn()
  const mine = new Set<ArrayBuffer>()
  held = mine
  try {
    return fn()
  } finally {
    held = null
    const kept = new Map<number, ArrayBuffer[]>()
    let total = 0
    for (const b of [...mine, ...givenBack]) {
      total += b.byteLength
      addFree(kept, b)
    }
    givenBack.clear()
    givenBackBytes = 0
    free = total <= MAX_POOLED_BYTES ? kept : new Map()
  }
}

/** Bytes the pool keeps between runs (for tests and the bench). */
export function pooledRunArrayBytes(): number {
  let total = 0
  for (const list of free.values()) for (const b of list) total += b.byteLength
  return total
}

/** Drops every pooled buffer (a host that will not run again soon; not within a run). */
export function releaseRunArrays(): void {
  if (held === null) free = new Map()
}
