import { describe, expect, it } from 'vitest'
import { createRng } from '../../../../../main/engine/rng'
import {
  ClosedLoopSolver,
  RESIDUAL_TOL,
  type LoopProblem,
} from '../../../../../main/engine/sim/closed-loop'
import { defaultLatencyCurve, latencyFactorAt } from '../../../../../main/engine/sim/latency-curve'

/**
 * Random loops of 1–6 processes over 2–6 resources (memories and two-slot links), from idle to
 * 20× over-subscribed, shaped like the engine's: a process's load on a resource is its share
 * there × its bytes per op ÷ the resource's peak, its latency weight the share × the device
 * latency, here perturbed by up to ±`noise` (the engine's read/write mix and links shared by
 * memories of different latency break exact proportionality, and with it the convergence proof).
 * The solver must return rates that reproduce themselves through the latency curves.
 */
function randomProblem(seed: number, noise = 0.5): { q: LoopProblem; slots: number } {
  const rng = createRng(seed)
  const P = 1 + rng.nextInt(6)
  const R = 2 + rng.nextInt(5)
  const curve = defaultLatencyCurve()
  const slotCount = Int32Array.from({ length: R }, () => 1 + rng.nextInt(2))
  const slotStart = new Int32Array(R)
  let S = 0
  for (let r = 0; r < R; r++) {
    slotStart[r] = S
    S += slotCount[r]
  }
  const loadStart = new Int32Array(P + 1)
  const latStart = new Int32Array(P + 1)
  const loadSlot: number[] = []
  const loadCoef: number[] = []
  const latRes: number[] = []
  const latW: number[] = []
  const fixed = new Uint8Array(P)
  const devNs = Array.from({ length: R }, () => 50 + 300 * rng.next())
  // 1e-10 … 1e-8 utilisation per op/s: up to 20× over-subscription at idle latency.
  const perPeak = Array.from({ length: R }, () => 1e-10 * Math.pow(100, rng.next()))
  for (let p = 0; p < P; p++) {
    const bytesPerOp = 0.5 + 2 * rng.next()
    loadStart[p] = loadSlot.length
    latStart[p] = latRes.length
    fixed[p] = rng.next() < 0.1 ? 1 : 0
    for (let r = 0; r < R; r++) {
      if (rng.next() < 0.4) continue
      const share = rng.next()
      loadSlot.push(slotStart[r] + rng.nextInt(slotCount[r]))
      loadCoef.push(share * bytesPerOp * perPeak[r])
      latRes.push(r)
      latW.push(share * devNs[r] * (1 + noise * (2 * rng.next() - 1)))
    }
  }
  loadStart[P] = loadSlot.length
  latStart[P] = latRes.length
  const q: LoopProblem = {
    P,
    fixed,
    fixedRate: Float64Array.from({ length: P }, () => 1e6),
    availThreads: Float64Array.from({ length: P }, () => 1 + rng.nextInt(32)),
    computeNs: Float64Array.from({ length: P }, () => (rng.next() < 0.5 ? 0 : 500 * rng.next())),
    accessesPerOp: Float64Array.from({ length: P }, () => 0.5 + 4 * rng.next()),
    mlp: Float64Array.from({ length: P }, () => 1 + 20 * rng.next()),
    baseNs: Float64Array.from({ length: P }, () => 80 + 200 * rng.next()),
    curves: Array.from({ length: R }, () => curve),
    slotStart,
    slotCount,
    background: Float64Array.from({ length: S }, () => 0.2 * rng.next()),
    loadStart,
    loadSlot: Int32Array.from(loadSlot),
    loadCoef: Float64Array.from(loadCoef),
    latStart,
    latRes: Int32Array.from(latRes),
    latW: Float64Array.from(latW),
  }
  return { q, slots: S }
}

/** x_p and the rate its latency implies, recomputed here from the problem alone. */
function mismatch(q: LoopProblem, x: Float64Array): number {
  const curve = defaultLatencyCurve()
  const load = Float64Array.from(q.background)
  for (let p = 0; p < q.P; p++)
    for (let k = q.loadStart[p]; k < q.loadStart[p + 1]; k++)
      load[q.loadSlot[k]] += x[p] * q.loadCoef[k]
  let worst = 0
  for (let p = 0; p < q.P; p++) {
    if (q.fixed[p]) continue
    let lat = q.baseNs[p]
    for (let k = q.latStart[p]; k < q.latStart[p + 1]; k++) {
      const r = q.latRes[k]
      let u = 0
      for (let s = q.slotStart[r]; s < q.slotStart[r] + q.slotCount[r]; s++)
        u = Math.max(u, load[s])
      lat += q.latW[k] * (latencyFactorAt(curve, u) - 1)
    }
    const g = (q.availThreads[p] * 1e9) / (q.computeNs[p] + (q.accessesPerOp[p] * lat) / q.mlp[p])
    worst = Math.max(worst, Math.abs(x[p] - g) / Math.max(g, x[p]))
  }
  return worst
}

describe('closed-loop solver', () => {
  it('solves random loops, saturated or not, to its tolerance', () => {
    let saturated = 0
    for (let seed = 1; seed <= 300; seed++) {
      const { q, slots } = randomProblem(seed)
      const sol = new ClosedLoopSolver(q, slots).solve()
      expect(sol.residual).toBeLessThanOrEqual(RESIDUAL_TOL)
      expect(mismatch(q, sol.x)).toBeLessThan(1e-5)
      if (Math.max(...sol.util) > 0.95) saturated++
    }
    // The cases exercise the saturated part of the curve, not only the idle one.
    expect(saturated).toBeGreaterThan(75)
  })

  it('reports the residual it stopped at when it may not iterate enough', () => {
    const { q, slots } = randomProblem(7)
    const sol = new ClosedLoopSolver(q, slots, 0).solve()
    expect(sol.sweeps).toBe(0)
    expect(sol.residual).toBeGreaterThan(RESIDUAL_TOL)
    expect(sol.residual).toBeCloseTo(mismatch(q, sol.x), 9)
  })
})
