import type { Rng } from '../rng'

/**
 * Zipf over ranks 0..n-1 with p(r) ∝ (r+1)^-s: the normaliser (generalised harmonic number), its
 * partial sums, and an O(1)-expected sampler that needs no table.
 */

/** Up to this many terms the harmonic sum is added up exactly; above, Euler–Maclaurin is used. */
export const ZIPF_EXACT_MAX_TERMS = 1024

/** Euler–Maclaurin switches from the exact head to the integral at this index. */
const EM_HEAD = 16

/** Σ_{j=1}^{k} j^-s, added from the smallest term up so rounding stays at the last bits. */
function exactHarmonic(k: number, s: number): number {
  let sum = 0
  for (let j = k; j >= 1; j--) sum += Math.pow(j, -s)
  return sum
}

/** expm1(x)/x, continuous at 0. */
function expm1OverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x))
}

/** log1p(x)/x, continuous at 0. */
function log1pOverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x))
}

/**
 * x^-s and its odd derivatives, for the Euler–Maclaurin corrections: module functions, not
 * closures made per call. tsx/esbuild wraps every named inner arrow in `__name(…)` (keepNames),
 * which cost 60 % of the GPU example's run, where emTail runs once per run of ranks in a frame.
 */
const emF = (x: number, s: number): number => Math.pow(x, -s)
// f'(x) = -s x^(-s-1); f'''(x) = -s(s+1)(s+2) x^(-s-3); f⁽⁵⁾(x) = -s…(s+4) x^(-s-5)
const emD1 = (x: number, s: number): number => -s * Math.pow(x, -s - 1)
const emD3 = (x: number, s: number): number => -s * (s + 1) * (s + 2) * Math.pow(x, -s - 3)
const emD5 = (x: number, s: number): number =>
  -s * (s + 1) * (s + 2) * (s + 3) * (s + 4) * Math.pow(x, -s - 5)

/**
 * The generalised harmonic number H(k, s) = Σ_{j=1}^{k} j^-s for whole k ≥ 0.
 *
 * k ≤ ZIPF_EXACT_MAX_TERMS: the exact sum. Above: the exact sum of the first 15 terms plus the
 * Euler–Maclaurin expansion of the tail from 16 to k with the B2, B4 and B6 corrections. The next
 * term is B8/8!·f⁽⁷⁾(16) ≈ 8e-7·s(s+1)…(s+6)·16^-(s+7), i.e. below 1e-12 relative for s ≤ 5, which
 * the tests check against the exact sum.
 */
export function harmonic(k: number, s: number): number {
  if (k <= 0) return 0
  if (s === 0) return k
  if (k <= ZIPF_EXACT_MAX_TERMS) return exactHarmonic(k, s)
  const m = EM_HEAD
  const logRatio = Math.log(k / m)
  // ∫_m^k x^-s dx = m^(1-s)·(e^((1-s)ln(k/m)) − 1)/(1−s), written to stay exact at s = 1.
  const integral = Math.pow(m, 1 - s) * logRatio * expm1OverX((1 - s) * logRatio)
  const tail =
    integral +
    (emF(m, s) + emF(k, s)) / 2 +
    (emD1(k, s) - emD1(m, s)) / 12 -
    (emD3(k, s) - emD3(m, s)) / 720 +
    (emD5(k, s) - emD5(m, s)) / 30240
  return exactHarmonic(m - 1, s) + tail
}

/**
 * Σ_{j=a+1}^{b} j^-s (whole 0 ≤ a ≤ b): the mass of zipf ranks a..b−1 before normalising, which a
 * frame holding a run of consecutive ranks sums (a 2 MiB frame holds runs of 4 KiB ranks).
 *
 * Short runs are added up term by term; longer ones take the exact head up to EM_HEAD and the same
 * Euler–Maclaurin expansion as `harmonic` from there, so a run costs about ten powers whatever its
 * length and agrees with harmonic(b) − harmonic(a) to the last bits the tests check.
 */
export function zipfRangeSum(a: number, b: number, s: number): number {
  if (b <= a) return 0
  if (s === 0) return b - a
  if (b - a <= ZIPF_RUN_DIRECT_TERMS) {
    let sum = 0
    for (let j = b; j > a; j--) sum += Math.pow(j, -s)
    return sum
  }
  // Terms a+1 .. max(a, EM_HEAD−1) exactly, the rest by the expansion from m.
  let head = 0
  let m = a + 1
  for (; m < EM_HEAD; m++) head += Math.pow(m, -s)
  return head + emTail(m, b, s)
}

/** Up to this many terms a run of zipf ranks is summed term by term. */
const ZIPF_RUN_DIRECT_TERMS = 32

/** Σ_{j=m}^{k} j^-s for EM_HEAD ≤ m ≤ k by Euler–Maclaurin with the B2, B4, B6 corrections. */
function emTail(m: number, k: number, s: number): number {
  if (k < m) return 0
  const logRatio = Math.log(k / m)
  const integral = Math.pow(m, 1 - s) * logRatio * expm1OverX((1 - s) * logRatio)
  return (
    integral +
    (emF(m, s) + emF(k, s)) / 2 +
    (emD1(k, s) - emD1(m, s)) / 12 -
    (emD3(k, s) - emD3(m, s)) / 720 +
    (emD5(k, s) - emD5(m, s)) / 30240
  )
}

/**
 * Rejection-inversion sampler for Zipf over 1..n (Hörmann & Derflinger, "Rejection-inversion to
 * generate variates from monotone discrete distributions", 1996), in the form that also works
 * for s ≤ 1 (as in Apache Commons RNG). Expected draws per sample are below 1.1 for usual s; it
 * needs no per-rank memory, unlike an inverse-CDF table (8 bytes per frame).
 */
export class ZipfSampler {
  private readonly hX1: number
  private readonly hN: number
  private readonly shortcut: number

  constructor(
    readonly n: number,
    readonly s: number,
  ) {
    this.hX1 = this.hIntegral(1.5) - 1
    this.hN = this.hIntegral(n + 0.5)
    this.shortcut = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2))
  }

  /** H(x) = (x^(1-s) − 1)/(1 − s), the integral of the hat function. */
  private hIntegral(x: number): number {
    const logX = Math.log(x)
    return expm1OverX((1 - this.s) * logX) * logX
  }

  private h(x: number): number {
    return Math.exp(-this.s * Math.log(x))
  }

  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.s)
    if (t < -1) t = -1 // numerical guard: the true value never goes below -1
    return Math.exp(log1pOverX(t) * x)
  }

  /** A rank in 0..n-1 (rank 0 is the most likely). */
  sample(rng: Rng): number {
    for (;;) {
      const u = this.hN + rng.next() * (this.hX1 - this.hN)
      const x = this.hIntegralInverse(u)
      let k = Math.floor(x + 0.5)
      if (k < 1) k = 1
      else if (k > this.n) k = this.n
      if (k - x <= this.shortcut || u >= this.hIntegral(k + 0.5) - this.h(k)) return k - 1
    }
  }
}
