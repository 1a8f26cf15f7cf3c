import type { AccessedBitScan, AccessedBitSubscription } from '../../vocabulary'
import type { Rng } from '../../rng'
import type { SimCore } from '../core'
import { CPU } from '../cpu-ledger'
import { F_ACCESSED } from '../frames'
import type { TelemetrySource } from './source'

/** Checking one frame's accessed bit (rmap walk, folio_referenced); an assumption, unconfirmed. */
export const ACCESSED_BIT_CHECK_S = 1e-7

/** Table points per unit of λ·dt, and the λ·dt from which a check always finds the bit set. */
const POINTS_PER_UNIT = 32
const ALWAYS_AT = 24
/** 1 − e^(−k/POINTS_PER_UNIT) for k = 0 … ALWAYS_AT·POINTS_PER_UNIT. */
const ACCESSED_AT = Float64Array.from(
  { length: ALWAYS_AT * POINTS_PER_UNIT + 1 },
  (_, k) => 1 - Math.exp(-k / POINTS_PER_UNIT),
)
/** Far above the rounding of 1 − Math.exp(−x) and of the table (each under 4e-16). */
const SLACK = 1e-12

/**
 * `u < 1 − Math.exp(−x)` for a draw u = uint32 / 2^32 and x > 0, the same boolean with few exps:
 * 1 − e^(−x) ≤ x, so u ≥ x is a miss; from x = 24 on, e^(−x) < 2^−32 and u ≤ 1 − 2^−32, so a hit;
 * between, 1 − e^(−x) rises with x, so the table's values at the points around x (less and plus
 * the slack) decide it unless u falls between them (a band of about 3 % · e^(−x)). The kswapd
 * clock checks ~4.6 M frames per 20 simulated s of the bench reference, most with x > 1.
 */
export function drawAccessed(u: number, x: number): boolean {
  if (!(u < x)) return false
  if (x >= ALWAYS_AT) return true
  const k = Math.floor(x * POINTS_PER_UNIT)
  if (u < ACCESSED_AT[k] - SLACK) return true
  if (u >= ACCESSED_AT[k + 1] + SLACK) return false
  return u < 1 - Math.exp(-x)
}

/** The inputs of fast-mode checks within one epoch (AccessedBitModel.fastChecks). */
export interface FastChecks {
  /** Epoch of each frame's last check (mod 2^16). */
  checked: Uint16Array
  weight: Float32Array
  epoch: number
  epochS: number
  /** The all-initiator rate scale of the epoch. */
  scale: number
  rng: Rng
}

/**
 * A fast-mode check of frame f: whether it was accessed since its last check, drawn from its
 * rate over the time since (Poisson), and the check stamped. The one model of AccessedBitModel.test.
 */
export function drawCheck(
  checked: Uint16Array,
  weight: Float32Array,
  f: number,
  epoch: number,
  epochS: number,
  scale: number,
  rng: Rng,
): boolean {
  const dtS = (epoch - checked[f]) * epochS
  checked[f] = epoch
  const lambda = weight[f] * scale
  if (!(lambda > 0) || dtS <= 0) return false
  return drawAccessed(rng.next(), lambda * dtS)
}

/**
 * The accessed-bit model, one for the whole run: kswapd's LRU aging, `ctx.checkAccessed` and the
 * PTE-A scanner all read and clear the same bits. Exact mode keeps the bit (F_ACCESSED, set by
 * the drawn accesses); fast mode draws it from the frame's rate since its last check: accesses
 * are a Poisson stream, so P(accessed) = 1 − e^(−λ·dt).
 */
export class AccessedBitModel {
  constructor(
    private readonly core: SimCore,
    private readonly exact: boolean,
    private readonly rng: Rng,
  ) {}

  /** Whether the frame was accessed since its last check, then clears the bit (not charged). */
  test(f: number): boolean {
    const c = this.core
    const fr = c.frames
    if (this.exact) {
      const a = (fr.state[f] & F_ACCESSED) !== 0
      fr.state[f] &= ~F_ACCESSED
      return a
    }
    // The stamps exist from the first check on (a run that never checks keeps 2 B/frame fewer).
    const checked = fr.checkEpoch ?? fr.keepCheckEpochs()
    return drawCheck(checked, fr.weight, f, c.epoch, c.epochS, c.allRateScale, this.rng)
  }

  /**
   * Fast mode: what `test` reads for every check, for a caller that checks many frames in a row
   * (kswapd's clock) and passes it to `drawCheck`; null in exact mode (use `test`).
   */
  fastChecks(): FastChecks | null {
    if (this.exact) return null
    const c = this.core
    const fr = c.frames
    return {
      checked: fr.checkEpoch ?? fr.keepCheckEpochs(),
      weight: fr.weight,
      epoch: c.epoch,
      epochS: c.epochS,
      scale: c.allRateScale,
      rng: this.rng,
    }
  }

  /** One check done by a kernel thread working for `node`: counted and charged. */
  check(f: number, node: number): boolean {
    this.charge(node, 1)
    return this.test(f)
  }

  /** `checks` checks made by the kernel thread of `node`, in one charge. */
  charge(node: number, checks: number): void {
    if (checks <= 0) return
    const c = this.core
    c.counters.accessedBitChecks += checks
    c.cpu.toKernel(node, checks * ACCESSED_BIT_CHECK_S, CPU.accessedBits)
  }
}

/**
 * A PTE accessed-bit scanner (MGLRU's walk of the page tables, kscand [PGHOT]): per node, a clock
 * hand over the node's frames; every period it checks up to framesPerScan of them and reports the
 * referenced ones. Its cost follows the frames checked, charged to the node's kernel thread.
 */
export class AccessedBitScanner implements TelemetrySource<'accessedBits'> {
  readonly kind = 'accessedBits'
  private sub: AccessedBitSubscription | null = null
  private readonly hands: Int32Array
  private nextScanS = 0
  private readonly pending: AccessedBitScan[] = []

  constructor(
    private readonly core: SimCore,
    private readonly bits: AccessedBitModel,
  ) {
    this.hands = new Int32Array(core.N)
  }

  configure(sub: AccessedBitSubscription | null): void {
    if (sub && !(sub.periodMs > 0 && sub.framesPerScan >= 1))
      throw new Error('accessedBits: periodMs must be > 0 and framesPerScan ≥ 1')
    if (sub && !this.sub) this.nextScanS = this.core.nowS
    this.sub = sub
  }

  get active(): boolean {
    return this.sub !== null
  }

  bytesPerFrame(): number {
    return 0
  }

  beginEpoch(): void {
    const sub = this.sub
    if (!sub) return
    const c = this.core
    let guard = 0
    while (this.nextScanS <= c.nowS + 1e-12 && guard++ < 64) {
      for (let n = 0; n < c.N; n++) {
        if (sub.nodes === 'slow' && c.topTierOf[n] === 1) continue
        if (c.usedFrames[n] > 0) this.pending.push(this.scanNode(n, sub.framesPerScan))
      }
      this.nextScanS += sub.periodMs / 1000
    }
  }

  private scanNode(n: number, want: number): AccessedBitScan {
    const c = this.core
    const lo = c.nodeFrameLo[n]
    const hi = c.nodeFrameHi[n]
    const accessed: number[] = []
    let checked = 0
    let f = Math.max(lo, Math.min(this.hands[n], hi + 1))
    let walked = 0
    const span = hi - lo + 1
    while (checked < want && walked < span) {
      if (f > hi) f = lo
      if (c.frames.node[f] === n) {
        checked++
        if (this.bits.test(f)) accessed.push(f)
      }
      f++
      walked++
    }
    this.hands[n] = f
    this.bits.charge(n, checked)
    return { node: n, checked, accessed }
  }

  deliver(sink: { onAccessedBits?(scan: AccessedBitScan): void }): void {
    if (this.pending.length === 0) return
    for (const scan of this.pending.splice(0)) sink.onAccessedBits?.(scan)
  }
}
