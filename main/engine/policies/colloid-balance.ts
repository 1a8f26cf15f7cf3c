/**
 * Colloid's balance of loaded access latency between the default tier and the alternate tier
 * (Vuppalapati & Agarwal, SOSP'24 [COLLOID]; code host-architecture/colloid colloid-mon.c).
 *
 * Per tier the monitor reads the memory controller's request queue like the CHA's TOR counters:
 * occupancy (requests in flight) and inserts (requests per second), each smoothed by an EWMA, so
 * the loaded latency is occupancy ÷ inserts by Little's law. The default tier is "slower" when
 * occ_D · ins_A > occ_A · ins_D (the division-free comparison colloid-mon makes). When the two
 * latencies differ by more than δ of the default tier's, the share p of accesses served by the
 * default tier should move: Colloid binary-searches the p that balances them between p_lo and p_hi
 * (p_lo rises to p while the default tier is faster, p_hi falls to p while it is slower; a bound on
 * the wrong side of p resets, and an interval narrower than ε reopens on the side to move to), and
 * Δp = |(p_lo + p_hi)/2 − p| is the share of accesses to move next. Nothing here reads a clock.
 */

export interface ColloidBalanceParams {
  /** EWMA weight of a new reading per sample period: 2^-4 in colloid-mon (EWMA_EXP 4) [COLLOID]. */
  ewmaWeight: number
  /** colloid-mon's sample period (SAMPLE_INTERVAL_MS 10), ms [COLLOID]. */
  samplePeriodMs: number
  /** δ: latencies within this fraction of the default tier's count as balanced (5 %) [COLLOID]. */
  deltaFraction: number
  /** ε: the narrowest p_lo..p_hi interval before it reopens (1 %) [COLLOID]. */
  epsilon: number
}

/** One reading of a tier's queue: requests in flight and requests per second. */
export interface TierReading {
  occupancy: number
  insertsPerS: number
}

export class ColloidBalance {
  private occD = 0
  private insD = 0
  private occA = 0
  private insA = 0
  private primed = false
  private pLo = 0
  private pHi = 1
  /** Whether the default tier's loaded latency exceeds the alternate tier's. */
  defaultSlower = false
  /** Share of accesses to move (towards the alternate tier when defaultSlower), 0..1. */
  deltaP = 0
  /** Share of accesses the default tier serves now (smoothed), 0..1. */
  p = 0

  /**
   * Whether the search has seen the default tier slower at some p (p_hi below 1): only then is
   * there a balance point below full promotion to overshoot. While p_hi is 1 the default tier has
   * not been contended and the policy should fall back to its base system's promotion.
   */
  get contended(): boolean {
    return this.pHi < 1
  }

  constructor(private readonly params: ColloidBalanceParams) {}

  /**
   * Takes one reading per tier covering `dtS` seconds. The EWMA weight is per sample period, so a
   * reading covering k periods weighs 1 − (1 − w)^k: the smoothing keeps its time constant
   * whatever the engine's epoch.
   */
  update(d: TierReading, a: TierReading, dtS: number): void {
    this.observe(d, a, dtS)
    this.decide()
  }

  /**
   * Smooths one reading without moving the search: the EWMA runs every sample period, but the
   * binary search of p steps once per migration quantum (decide), on readings the last quantum's
   * moves have settled into. Stepping it on every sample let the lag between the smoothed
   * occupancies and the smoothed p during a migration burst set p_lo/p_hi at transient points
   * (p_lo above the balance point), so the interval collapsed below ε and reopened to a step of a
   * third of all accesses: the oscillation that lost seed 3 of the contention test.
   */
  observe(d: TierReading, a: TierReading, dtS: number): void {
    const k = Math.max(1e-9, (dtS * 1000) / this.params.samplePeriodMs)
    const w = this.primed ? 1 - Math.pow(1 - this.params.ewmaWeight, k) : 1
    this.primed = true
    this.occD += w * (d.occupancy - this.occD)
    this.insD += w * (d.insertsPerS - this.insD)
    this.occA += w * (a.occupancy - this.occA)
    this.insA += w * (a.insertsPerS - this.insA)
  }

  /** Smoothed loaded latency of the default tier, ns (NaN while it serves nothing). */
  get defaultLatencyNs(): number {
    return this.insD > 0 ? (this.occD / this.insD) * 1e9 : NaN
  }

  /** Smoothed loaded latency of the alternate tier, ns (NaN while it serves nothing). */
  get alternateLatencyNs(): number {
    return this.insA > 0 ? (this.occA / this.insA) * 1e9 : NaN
  }

  /** One step of the search on the smoothed readings: sets defaultSlower, p and Δp. */
  decide(): void {
    const lhs = this.occD * this.insA
    const rhs = this.occA * this.insD
    // With no inserts on a tier both sides are 0: not slower, so promotion goes on (colloid-mon).
    this.defaultSlower = lhs > rhs
    const total = this.insD + this.insA
    this.p = total > 0 ? this.insD / total : 0
    if (!(total > 0) || Math.abs(lhs - rhs) <= this.params.deltaFraction * lhs) {
      this.deltaP = 0
      return
    }
    const p = this.p
    if (!this.defaultSlower) {
      this.pLo = p
      if (this.pHi <= this.pLo) this.pHi = 1
    } else {
      this.pHi = p
      if (this.pLo >= this.pHi) this.pLo = 0
    }
    if (this.pHi - this.pLo < this.params.epsilon) {
      if (!this.defaultSlower) this.pHi = 1
      else this.pLo = 0
    }
    this.deltaP = Math.abs((this.pLo + this.pHi) / 2 - p)
  }
}
