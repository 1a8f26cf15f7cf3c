/** The q-quantile (0..1) by nearest rank over the values; 0 for none. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const n = values.length
  if (n === 0) return 0
  const sorted = Float64Array.from(values).sort()
  const rank = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))
  return sorted[rank]
}
