import { toCsv } from '../../../lib/csv'

export interface CsvColumn {
  header: string
  t: readonly number[]
  values: readonly number[]
}

/**
 * Overlaid series as CSV, one row per time point: the union of every column's sample times
 * (ascending), each column's value at that exact time or blank where it has no sample.
 */
export function overlaidSeriesCsv(columns: readonly CsvColumn[]): string {
  const maps = columns.map((c) => {
    const m = new Map<number, number>()
    c.t.forEach((t, i) => m.set(t, c.values[i]))
    return m
  })
  const times = [...new Set(columns.flatMap((c) => c.t))].sort((a, b) => a - b)
  const rows = times.map((t) => [t, ...maps.map((m) => m.get(t) ?? null)])
  return toCsv([['t_s', ...columns.map((c) => c.header)], ...rows])
}
