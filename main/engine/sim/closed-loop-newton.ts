import type { LoopProblem } from './closed-loop'
import { latencyFactorAt, latencyFactorSlopeAt } from './latency-curve'

/**
 * Damped Newton steps for the closed loop, in latency form: F_p(x) = lat_p(x) − φ_p(x_p), where
 * φ_p(y) = (threads × 1e9 / y − compute) × MLP / accesses is the latency at which p runs at y
 * ops/s. F = 0 is the loop's fixed point. The Jacobian is W·diag(curve′)·C − diag(φ′): W the
 * latency weights, C the loads on each resource's busier slot, φ′ < 0. Where latency weights are
 * proportional to loads it is similar to a symmetric positive-definite matrix, so the Newton
 * direction always descends the merit ‖F‖², and a backtracking (Armijo) line search makes each
 * step reduce it. Newton handles what coordinate sweeps cannot: several processes trading rate
 * along a saturated resource (a valley a thousand times steeper across than along).
 */

const ARMIJO = 1e-4
const MAX_HALVINGS = 30

export class NewtonStepper {
  private readonly F: Float64Array
  private readonly J: Float64Array
  private readonly d: Float64Array
  private readonly rhs: Float64Array
  private readonly trial: Float64Array
  private readonly load: Float64Array
  private readonly util: Float64Array
  private readonly slope: Float64Array
  private readonly factor: Float64Array
  /** Busier slot of each resource at the last evaluation. */
  private readonly busy: Int32Array
  private readonly slotRes: Int32Array
  /** coefAt[r * P + q]: q's load on resource r's busier slot. */
  private readonly coefAt: Float64Array

  constructor(
    private readonly q: LoopProblem,
    slots: number,
    private readonly x: Float64Array,
  ) {
    const { P } = q
    const R = q.curves.length
    this.F = new Float64Array(P)
    this.J = new Float64Array(P * P)
    this.d = new Float64Array(P)
    this.rhs = new Float64Array(P)
    this.trial = new Float64Array(P)
    this.load = new Float64Array(slots)
    this.util = new Float64Array(R)
    this.slope = new Float64Array(R)
    this.factor = new Float64Array(R)
    this.busy = new Int32Array(R)
    this.slotRes = new Int32Array(slots)
    for (let r = 0; r < R; r++)
      for (let k = 0; k < q.slotCount[r]; k++) this.slotRes[q.slotStart[r] + k] = r
    this.coefAt = new Float64Array(R * P)
  }

  /** F at rates y; returns ‖F‖². Leaves loads, factors and slopes at y. */
  private evaluate(y: Float64Array): number {
    const q = this.q
    this.load.set(q.background)
    for (let p = 0; p < q.P; p++)
      for (let k = q.loadStart[p]; k < q.loadStart[p + 1]; k++)
        this.load[q.loadSlot[k]] += y[p] * q.loadCoef[k]
    for (let r = 0; r < q.curves.length; r++) {
      let best = q.slotStart[r]
      for (let k = 1; k < q.slotCount[r]; k++)
        if (this.load[q.slotStart[r] + k] > this.load[best]) best = q.slotStart[r] + k
      this.busy[r] = best
      const u = Math.max(0, this.load[best])
      this.util[r] = u
      this.factor[r] = latencyFactorAt(q.curves[r], u)
      this.slope[r] = latencyFactorSlopeAt(q.curves[r], u)
    }
    let m = 0
    for (let p = 0; p < q.P; p++) {
      if (q.fixed[p]) {
        this.F[p] = 0
        continue
      }
      let lat = q.baseNs[p]
      for (let k = q.latStart[p]; k < q.latStart[p + 1]; k++)
        lat += q.latW[k] * (this.factor[q.latRes[k]] - 1)
      const phi =
        ((q.availThreads[p] * 1e9) / y[p] - q.computeNs[p]) * (q.mlp[p] / q.accessesPerOp[p])
      this.F[p] = lat - phi
      m += this.F[p] * this.F[p]
    }
    return m
  }

  /**
   * One damped Newton step from the current rates; true when it reduced ‖F‖² (then x holds the
   * new rates), false when no step along the Newton direction did (x unchanged).
   */
  step(): boolean {
    const q = this.q
    const { P } = q
    const x = this.x
    for (let p = 0; p < P; p++) if (!q.fixed[p] && !(x[p] > 0)) return false
    const m0 = this.evaluate(x)
    if (m0 === 0) return true
    this.coefAt.fill(0)
    for (let p = 0; p < P; p++)
      for (let k = q.loadStart[p]; k < q.loadStart[p + 1]; k++) {
        const s = q.loadSlot[k]
        const r = this.slotRes[s]
        if (this.busy[r] === s) this.coefAt[r * P + p] += q.loadCoef[k]
      }
    const J = this.J
    J.fill(0)
    for (let p = 0; p < P; p++) {
      if (q.fixed[p]) {
        J[p * P + p] = 1
        continue
      }
      for (let k = q.latStart[p]; k < q.latStart[p + 1]; k++) {
        const r = q.latRes[k]
        const w = q.latW[k] * this.slope[r]
        if (w === 0) continue
        for (let c = 0; c < P; c++) if (!q.fixed[c]) J[p * P + c] += w * this.coefAt[r * P + c]
      }
      // −φ′(x_p) = threads × 1e9 × MLP / (accesses × x_p²) > 0.
      J[p * P + p] += (q.availThreads[p] * 1e9 * q.mlp[p]) / (q.accessesPerOp[p] * x[p] * x[p])
    }
    this.rhs.set(this.F)
    if (!solveLinear(J, this.rhs, this.d, P)) return false
    // d solves J d = F; the step is −d. Keep every rate positive (at most a 10× cut per step).
    let alpha = 1
    for (let p = 0; p < P; p++) if (this.d[p] > 0) alpha = Math.min(alpha, (0.9 * x[p]) / this.d[p])
    // Directional derivative of ‖F‖² along −d is −2‖F‖².
    for (let h = 0; h < MAX_HALVINGS; h++, alpha /= 2) {
      for (let p = 0; p < P; p++) this.trial[p] = q.fixed[p] ? x[p] : x[p] - alpha * this.d[p]
      const m = this.evaluate(this.trial)
      if (m <= (1 - 2 * ARMIJO * alpha) * m0) {
        x.set(this.trial)
        return true
      }
    }
    return false
  }
}

/**
 * Solves A·out = rhs (n × n, row-major; A and rhs are overwritten) by Gaussian elimination with
 * partial pivoting. False when A is singular to working precision. P is small (processes).
 */
function solveLinear(A: Float64Array, rhs: Float64Array, out: Float64Array, n: number): boolean {
  for (let col = 0; col < n; col++) {
    let piv = col
    for (let r = col + 1; r < n; r++)
      if (Math.abs(A[r * n + col]) > Math.abs(A[piv * n + col])) piv = r
    const pv = A[piv * n + col]
    if (!(Math.abs(pv) > 1e-300)) return false
    if (piv !== col) {
      for (let k = 0; k < n; k++) {
        const t = A[col * n + k]
        A[col * n + k] = A[piv * n + k]
        A[piv * n + k] = t
      }
      const t = rhs[col]
      rhs[col] = rhs[piv]
      rhs[piv] = t
    }
    for (let r = col + 1; r < n; r++) {
      const f = A[r * n + col] / pv
      if (f === 0) continue
      for (let k = col; k < n; k++) A[r * n + k] -= f * A[col * n + k]
      rhs[r] -= f * rhs[col]
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let v = rhs[r]
    for (let k = r + 1; k < n; k++) v -= A[r * n + k] * out[k]
    out[r] = v / A[r * n + r]
  }
  return true
}
