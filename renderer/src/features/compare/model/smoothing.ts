/**
 * Exponential moving average with TensorBoard's debiasing (formats-and-ux.md §3: the same EMA in
 * TensorBoard and W&B): last = last·w + (1−w)·v, shown as last ÷ (1 − wⁿ) so the start is not
 * pulled towards 0. Non-finite values pass through and do not enter the average. weight in [0, 1).
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  if (!(weight > 0)) return [...values]
  const w = Math.min(weight, 0.999)
  let last = 0
  let n = 0
  return values.map((v) => {
    if (!Number.isFinite(v)) return v
    last = last * w + (1 - w) * v
    n++
    return last / (1 - w ** n)
  })
}
