/**
 * The engine's only source of randomness: a seedable, forkable PRNG.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, passes
 * PractRand to 2^40+ bytes) seeded through splitmix32. It was chosen over xoshiro128** because its
 * step is four adds/xors/shifts that V8 keeps in 32-bit registers, and the counter word guarantees
 * a period of at least 2^32 from any seed.
 *
 * Determinism: the integer stream uses only `Math.imul`, `>>>`, `|0`, so it is bit-identical on
 * every platform. `exp()` and `normal()` also call `Math.log`/`Math.cos`/`Math.sqrt`; V8 ships its
 * own (fdlibm-derived) implementations of these, so a given Node/Electron build gives the same
 * doubles on every OS and CPU.
 *
 * Streams: `fork(label)` derives a child from the parent's *seed key* and the label, never from the
 * parent's current state, so drawing more numbers from one stream (say, a new telemetry source)
 * never changes another stream (say, the workload's permutation).
 */

const TWO_POW_32 = 4294967296

/** splitmix32 finaliser: a bijective 32-bit mixer with good avalanche. */
function mix32(x: number): number {
  let z = x | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

/** FNV-1a over the UTF-16 code units of a label, then mixed. */
function hashLabel(label: string | number): number {
  const s = typeof label === 'number' ? `#${label}` : label
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return mix32(h)
}

/** Normalises any JS number seed (negative, fractional, > 2^32) to two 32-bit key words. */
function seedKey(seed: number): [number, number] {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`)
  const lo = seed >>> 0
  const hi = Math.floor(seed / TWO_POW_32) >>> 0
  return [mix32(lo ^ 0x9e3779b9), mix32(hi + Math.imul(lo, 0x632be5ab))]
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  private spareNormal = NaN
  /** Identity of this stream; children are derived from it. */
  private readonly k0: number
  private readonly k1: number

  /** `key` is internal (used by `fork`); callers pass only a seed. */
  constructor(seed: number, key?: readonly [number, number]) {
    const [k0, k1] = key ?? seedKey(seed)
    this.k0 = k0
    this.k1 = k1
    this.a = this.b = this.c = this.d = 0
    this.init()
  }

  private init(): void {
    // splitmix32 expands the two key words into the four state words.
    let s = this.k0 ^ Math.imul(this.k1, 0x9e3779b9)
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0
      return mix32(s)
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = 1 // sfc32's counter; starts at 1 by convention
    // Discard the first outputs: sfc32 mixes poorly for a dozen steps after seeding.
    for (let i = 0; i < 12; i++) this.nextUint32()
  }

  /** A child stream determined by this stream's seed and `label` only. */
  fork(label: string | number): Rng {
    const h = hashLabel(label)
    return new Rng(0, [mix32(this.k0 ^ h), mix32((this.k1 + Math.imul(h, 0x27d4eb2d)) | 0)])
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const a = this.a
    const b = this.b
    const c = this.c
    const d = this.d
    const t = (((a + b) | 0) + d) | 0
    this.d = (d + 1) | 0
    this.a = b ^ (b >>> 9)
    this.b = (c + (c << 3)) | 0
    this.c = ((c << 21) | (c >>> 11)) + t
    this.c |= 0
    return t >>> 0
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / TWO_POW_32
  }

  /** Uniform integer in [0, n), exactly unbiased (rejection of the top partial block). */
  nextInt(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32) || !Number.isInteger(n))
      throw new RangeError(`nextInt needs a whole n in [1, 2^32], got ${n}`)
    const limit = TWO_POW_32 - (TWO_POW_32 % n)
    let u = this.nextUint32()
    while (u >= limit) u = this.nextUint32()
    return u % n
  }

  /** Exponential variate with the given rate (mean 1/rate). */
  exp(rate: number): number {
    // 1 - next() is in (0, 1], so the log is finite.
    return -Math.log(1 - this.next()) / rate
  }

  /** Standard normal variate (Box–Muller; the second value of each pair is cached). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const v = this.spareNormal
      this.spareNormal = NaN
      return v
    }
    const u1 = 1 - this.next()
    const u2 = this.next()
    const r = Math.sqrt(-2 * Math.log(u1))
    const theta = 2 * Math.PI * u2
    this.spareNormal = r * Math.sin(theta)
    return r * Math.cos(theta)
  }

  /** Fisher–Yates shuffle (Durstenfeld), uniform over all permutations. */
  shuffleInPlace(arr: Uint32Array): Uint32Array {
    // The draws are nextInt(i + 1) for i from the end down, written out with the generator's state
    // in locals (a layout shuffles millions of entries): the same stream and the same rejections,
    // since u ≥ 2^32 − (2^32 mod n) holds exactly when u − (u mod n), a multiple of n, exceeds
    // 2^32 − n.
    let a = this.a
    let b = this.b
    let c = this.c
    let d = this.d
    for (let i = arr.length - 1; i > 0; i--) {
      const n = i + 1
      let j: number
      for (;;) {
        const t = (((a + b) | 0) + d) | 0
        d = (d + 1) | 0
        a = b ^ (b >>> 9)
        b = (c + (c << 3)) | 0
        c = (((c << 21) | (c >>> 11)) + t) | 0
        const u = t >>> 0
        j = u % n
        if (u - j <= TWO_POW_32 - n) break
      }
      const x = arr[i]
      arr[i] = arr[j]
      arr[j] = x
    }
    this.a = a
    this.b = b
    this.c = c
    this.d = d
    return arr
  }
}

/** The root stream of a run. */
export function createRng(seed: number): Rng {
  return new Rng(seed)
}
