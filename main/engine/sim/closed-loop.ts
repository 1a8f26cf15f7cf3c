import { latencyFactorAt, type LatencyCurve } from './latency-curve'
import { NewtonStepper } from './closed-loop-newton'

/**
 * The closed loop of one epoch as a fixed point in the processes' rates x (ops/s):
 *
 *   x_p = G_p(x) = threads_p × 1e9 / (computeNsPerOp + accessesPerOp × lat_p(x) ÷ MLP)
 *   lat_p(x) = base_p + Σ_r w_pr × (curve_r(util_r(x)) − 1)
 *   util_r(x) = max over r's load slots s of (background_s + Σ_q x_q × coef_qs)
 *
 * Resources r are memories and links; a link has one load slot per direction, its utilisation
 * is the busier one. Every curve is non-decreasing, so lat_p is non-decreasing in every rate and
 * G_p is non-increasing: for one process h(y) = y − G_p(…, y, …) is strictly increasing, and the
 * one-dimensional root is bracketed in [0, G_p at x_p = 0] and found by a safeguarded regula falsi
 * (Illinois), which always converges.
 *
 * Several processes: when each process's latency weight on a resource is proportional to the load
 * it puts there (w_pr = κ_p μ_r coef_pr, which holds exactly when reads and writes cost the same),
 * x − G(x) is, coordinate by coordinate, a positive multiple of the gradient of the strictly
 * convex potential Σ_r μ_r ∫curve_r + Σ_p κ_p ∫(base_p − φ_p) (φ_p the latency at which p runs at
 * a given rate), so the fixed point is unique. Each iteration first tries a damped Newton step
 * (closed-loop-newton.ts: Armijo line search on ‖lat − φ‖², fast through the steep valley of a
 * shared saturated resource); if no step along the Newton direction reduces it, it takes an exact
 * line search along the ray t·x and a Gauss–Seidel sweep of the 1-D solves above, which is block
 * coordinate descent on the strictly convex potential and converges to its minimum. The residual
 * is measured after every iteration; where the proportionality only holds approximately
 * (read/write asymmetry, one link shared by memories of different latency) nothing is proven, and
 * an epoch the solver could not bring below RESIDUAL_WARN is reported in the run's warnings
 * (random loops with ±50 % deviations from proportionality all converge in the tests).
 */

/**
 * Relative residual |x − G(x)| / G(x) at which the loop counts as solved: a millionth, far inside
 * any figure the engine reports (Newton usually lands there in one or two steps from last epoch).
 */
export const RESIDUAL_TOL = 1e-6
/** A final residual above this is reported in the run's warnings. */
export const RESIDUAL_WARN = 1e-3
const MAX_SWEEPS = 200
const MAX_ROOT_STEPS = 200

export interface LoopProblem {
  /** Processes; `fixed[p]` = 1 when p's rate does not depend on memory (it is `fixedRate[p]`). */
  P: number
  fixed: Uint8Array
  fixedRate: Float64Array
  /** Thread-seconds per second available to p (threads minus charged overheads). */
  availThreads: Float64Array
  computeNs: Float64Array
  accessesPerOp: Float64Array
  mlp: Float64Array
  /** Latency with every resource idle, ns (share-weighted over p's nodes). */
  baseNs: Float64Array
  /** Resources: curve, first load slot and slot count (1 for a memory, 2 for a link). */
  curves: LatencyCurve[]
  slotStart: Int32Array
  slotCount: Int32Array
  /** Utilisation per slot that no process's rate drives (last epoch's migrations). */
  background: Float64Array
  /** CSR per process: load slots and utilisation per op/s. */
  loadStart: Int32Array
  loadSlot: Int32Array
  loadCoef: Float64Array
  /** CSR per process: resources and ns per unit of (factor − 1). */
  latStart: Int32Array
  latRes: Int32Array
  latW: Float64Array
}

export interface LoopSolution {
  /** Ops/s per process. */
  x: Float64Array
  /** lat_p at x, ns. */
  latencyNs: Float64Array
  util: Float64Array
  factor: Float64Array
  /** Largest relative |x − G(x)| at the end. */
  residual: number
  sweeps: number
}

export class ClosedLoopSolver {
  readonly sol: LoopSolution
  private readonly load: Float64Array
  private readonly dyn: Float64Array
  private readonly newton: NewtonStepper

  constructor(
    private readonly q: LoopProblem,
    slots: number,
    private readonly maxSweeps = MAX_SWEEPS,
  ) {
    const R = q.curves.length
    this.load = new Float64Array(slots)
    this.dyn = new Float64Array(slots)
    this.sol = {
      x: new Float64Array(q.P),
      latencyNs: new Float64Array(q.P),
      util: new Float64Array(R),
      factor: new Float64Array(R).fill(1),
      residual: 0,
      sweeps: 0,
    }
    this.newton = new NewtonStepper(q, slots, this.sol.x)
  }

  /** Rate at a latency: G_p. */
  private rateAt(p: number, latNs: number): number {
    const q = this.q
    const tpo = q.computeNs[p] + (q.accessesPerOp[p] * latNs) / q.mlp[p]
    return tpo > 0 ? (q.availThreads[p] * 1e9) / tpo : 0
  }

  private factorOf(r: number): number {
    const q = this.q
    let u = 0
    const s0 = q.slotStart[r]
    for (let s = s0; s < s0 + q.slotCount[r]; s++) if (this.load[s] > u) u = this.load[s]
    this.sol.util[r] = u
    const f = latencyFactorAt(q.curves[r], u)
    this.sol.factor[r] = f
    return f
  }

  /** lat_p at the current loads (refreshing the factors of p's resources). */
  private latency(p: number): number {
    const q = this.q
    let lat = q.baseNs[p]
    for (let k = q.latStart[p]; k < q.latStart[p + 1]; k++)
      lat += q.latW[k] * (this.factorOf(q.latRes[k]) - 1)
    return lat
  }

  private setRate(p: number, y: number): void {
    const q = this.q
    const d = y - this.sol.x[p]
    if (d !== 0)
      for (let k = q.loadStart[p]; k < q.loadStart[p + 1]; k++)
        this.load[q.loadSlot[k]] += d * q.loadCoef[k]
    this.sol.x[p] = y
  }

  private rebuildLoads(): void {
    const q = this.q
    this.load.set(q.background)
    for (let p = 0; p < q.P; p++) {
      const x = this.sol.x[p]
      for (let k = q.loadStart[p]; k < q.loadStart[p + 1]; k++)
        this.load[q.loadSlot[k]] += x * q.loadCoef[k]
    }
  }

  /** Solves the epoch, warm-started from the previous solution. */
  solve(): LoopSolution {
    const q = this.q
    const sol = this.sol
    for (let p = 0; p < q.P; p++) {
      if (q.fixed[p]) sol.x[p] = q.fixedRate[p]
      else if (!(sol.x[p] > 0)) sol.x[p] = this.rateAt(p, q.baseNs[p])
    }
    this.rebuildLoads()
    let sweeps = 0
    let residual = this.residual()
    while (residual > RESIDUAL_TOL && sweeps < this.maxSweeps) {
      if (!this.newton.step()) {
        this.raySearch()
        for (let p = 0; p < q.P; p++) if (!q.fixed[p]) this.solveCoordinate(p)
      }
      // Loads were updated incrementally; re-add them from scratch so rounding cannot drift.
      this.rebuildLoads()
      residual = this.residual()
      sweeps++
    }
    for (let r = 0; r < q.curves.length; r++) this.factorOf(r)
    for (let p = 0; p < q.P; p++) sol.latencyNs[p] = this.latency(p)
    sol.residual = residual
    sol.sweeps = sweeps
    return sol
  }

  private residual(): number {
    const q = this.q
    let worst = 0
    for (let p = 0; p < q.P; p++) {
      if (q.fixed[p]) continue
      const g = this.rateAt(p, this.latency(p))
      const x = this.sol.x[p]
      const rel = Math.abs(x - g) / Math.max(g, x, 1e-300)
      if (rel > worst) worst = rel
    }
    return worst
  }

  /** h(y) = y − G_p at x_p = y: strictly increasing in y. */
  private h(p: number, y: number): number {
    this.setRate(p, y)
    return y - this.rateAt(p, this.latency(p))
  }

  /** Exact 1-D solve of x_p = G_p(x) with the other rates fixed (Illinois regula falsi). */
  private solveCoordinate(p: number): void {
    const x0 = this.sol.x[p]
    const hi0 = this.rateAt(p, this.latencyWithout(p))
    if (!(hi0 > 0)) {
      this.setRate(p, 0)
      return
    }
    let a = 0
    let fa = -hi0
    let b = hi0
    let fb = this.h(p, b)
    if (fb <= 0) return // already at b: G_p cannot be above its value at x_p = 0
    // Start from the warm value: it usually sits right next to the root.
    if (x0 > 0 && x0 < hi0) {
      const f0 = this.h(p, x0)
      if (f0 === 0) return
      if (f0 < 0) [a, fa] = [x0, f0]
      else [b, fb] = [x0, f0]
    }
    let side = 0
    for (let it = 0; it < MAX_ROOT_STEPS; it++) {
      const c = (a * fb - b * fa) / (fb - fa)
      const y = c > a && c < b ? c : (a + b) / 2
      const fy = this.h(p, y)
      if (fy === 0 || (b - a) / b < 1e-13) return
      if (fy < 0) {
        a = y
        fa = fy
        if (side === -1) fb /= 2
        side = -1
      } else {
        b = y
        fb = fy
        if (side === 1) fa /= 2
        side = 1
      }
      if (Math.abs(fy) <= 1e-12 * y) return
    }
  }

  private latencyWithout(p: number): number {
    this.setRate(p, 0)
    return this.latency(p)
  }

  /**
   * Exact line search along x(t) = t·x of the potential: its slope is
   * Σ_p x_p a_p (lat_p(t x) − φ_p(t x_p)), non-decreasing in t. Bracketed by doubling/halving,
   * then Illinois. Keeps the relative rates, finds the common level.
   */
  private raySearch(): void {
    const q = this.q
    const x = this.sol.x
    let any = false
    this.dyn.fill(0)
    for (let p = 0; p < q.P; p++) {
      if (q.fixed[p] || !(x[p] > 0)) continue
      any = true
      for (let k = q.loadStart[p]; k < q.loadStart[p + 1]; k++)
        this.dyn[q.loadSlot[k]] += x[p] * q.loadCoef[k]
    }
    if (!any) return
    const base = Float64Array.from(x)
    const slope = (t: number): number => {
      for (let s = 0; s < this.load.length; s++) this.load[s] = q.background[s] + t * this.dyn[s]
      let d = 0
      for (let p = 0; p < q.P; p++) {
        if (q.fixed[p] || !(base[p] > 0)) continue
        const y = t * base[p]
        // φ_p(y): the latency at which p runs at y ops/s.
        const phi =
          ((q.availThreads[p] * 1e9) / y - q.computeNs[p]) * (q.mlp[p] / q.accessesPerOp[p])
        d += y * q.accessesPerOp[p] * (this.latency(p) - phi)
      }
      return d
    }
    let a = 1
    let fa = slope(1)
    let b = 1
    let fb = fa
    if (fa === 0) return this.scaleRates(base, 1)
    for (let i = 0; i < 60 && (fa > 0 || fb < 0); i++) {
      if (fa > 0) {
        b = a
        fb = fa
        a /= 2
        fa = slope(a)
      } else {
        a = b
        fa = fb
        b *= 2
        fb = slope(b)
      }
    }
    if (fa > 0 || fb < 0) return this.scaleRates(base, 1)
    let side = 0
    let t = a
    for (let it = 0; it < 100 && fa < 0 && fb > 0; it++) {
      const c = (a * fb - b * fa) / (fb - fa)
      t = c > a && c < b ? c : (a + b) / 2
      const ft = slope(t)
      if (ft === 0 || (b - a) / b < 1e-12) break
      if (ft < 0) {
        a = t
        fa = ft
        if (side === -1) fb /= 2
        side = -1
      } else {
        b = t
        fb = ft
        if (side === 1) fa /= 2
        side = 1
      }
    }
    this.scaleRates(base, fa === 0 ? a : fb === 0 ? b : t)
  }

  private scaleRates(base: Float64Array, t: number): void {
    const q = this.q
    for (let p = 0; p < q.P; p++) if (!q.fixed[p]) this.sol.x[p] = t * base[p]
    this.rebuildLoads()
  }
}
