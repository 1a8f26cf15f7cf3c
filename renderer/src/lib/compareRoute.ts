/** Run ids from `?runs=1,2,3` (also `runs=1&runs=2`): positive integers, order kept, no repeats. */
export function parseRunIds(query: unknown): number[] {
  const parts = (Array.isArray(query) ? query : [query])
    .filter((q): q is string => typeof q === 'string')
    .flatMap((q) => q.split(','))
  const ids = parts
    .map((p) => p.trim())
    .filter((p) => /^[1-9]\d*$/.test(p))
    .map(Number)
  return [...new Set(ids)]
}

/**
 * The query of a comparison. The baseline is written whenever one is given: the default when the
 * URL names none depends on the runs' policies (first-touch if present), so leaving a chosen one
 * out could change it on reload.
 */
export function compareQuery(
  ids: readonly number[],
  baselineId: number | null,
): Record<string, string> {
  const query: Record<string, string> = {}
  if (ids.length > 0) query.runs = ids.join(',')
  if (baselineId !== null && ids.includes(baselineId)) query.baseline = String(baselineId)
  return query
}
