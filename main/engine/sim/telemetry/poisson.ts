import type { Rng } from '../../rng'

/** Chernoff upper bound on P(Poisson(mu) ≥ k); 1 when k ≤ mu. */
export function poissonTailBound(mu: number, k: number): number {
  if (mu <= 0) return k <= 0 ? 1 : 0
  if (k <= mu) return 1
  return Math.exp(-mu + k - k * Math.log(k / mu))
}

/** A Poisson variate: inversion for small means, a rounded normal above 30. */
export function poissonDraw(rng: Rng, mu: number): number {
  if (mu <= 0) return 0
  if (mu > 30) return Math.max(0, Math.round(mu + Math.sqrt(mu) * rng.normal()))
  let k = 0
  let p = Math.exp(-mu)
  let s = p
  const u = rng.next()
  while (u > s && k < 1000) {
    k++
    p *= mu / k
    s += p
  }
  return k
}
