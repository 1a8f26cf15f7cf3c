/** What the picker needs of a series: its key, and the label and unit it carries. */
export interface SeriesMeta {
  key: string
  label: string
  unit: string
}

export interface SeriesGroup {
  /** The key's prefix: `node` for `node.0.usedBytes`, `throughput` for `throughput:kv`. */
  prefix: string
  items: SeriesMeta[]
}

/** Series without a prefix (run-wide metrics) go in this group, listed first. */
export const RUN_WIDE_GROUP = 'run'

/** The part of a key before the first `:` or `.`, or RUN_WIDE_GROUP when it has none. */
export function seriesPrefix(key: string): string {
  const m = /^([^.:]+)[.:]/.exec(key)
  return m ? m[1] : RUN_WIDE_GROUP
}

/** The series grouped by prefix, in the order the keys first appear; run-wide first. */
export function groupSeries(catalog: readonly SeriesMeta[]): SeriesGroup[] {
  const groups = new Map<string, SeriesMeta[]>()
  for (const s of catalog) {
    const prefix = seriesPrefix(s.key)
    let items = groups.get(prefix)
    if (!items) groups.set(prefix, (items = []))
    if (!items.some((i) => i.key === s.key)) items.push(s)
  }
  const out = [...groups].map(([prefix, items]) => ({ prefix, items }))
  return out.sort(
    (a, b) => Number(b.prefix === RUN_WIDE_GROUP) - Number(a.prefix === RUN_WIDE_GROUP),
  )
}

/** The union of the runs' series, in order of first appearance (runs may differ in processes and nodes). */
export function seriesCatalog(perRun: ReadonlyArray<readonly SeriesMeta[]>): SeriesMeta[] {
  const seen = new Map<string, SeriesMeta>()
  for (const list of perRun)
    for (const s of list)
      if (!seen.has(s.key)) seen.set(s.key, { key: s.key, label: s.label, unit: s.unit })
  return [...seen.values()]
}

/** Per-node used memory, drawn as stacked areas: a `node…` prefix and a byte unit. */
export function isNodeUsedSeries(s: SeriesMeta): boolean {
  return (
    /^node/.test(seriesPrefix(s.key)) &&
    /used/i.test(s.key) &&
    (s.unit === 'B' || s.unit === 'bytes')
  )
}

/** The default overlay: run-wide throughput if there is one, else the first series. */
export function defaultSeriesKeys(catalog: readonly SeriesMeta[]): string[] {
  const throughput = catalog.find(
    (s) => seriesPrefix(s.key) === RUN_WIDE_GROUP && /throughput/i.test(s.key),
  )
  const first = throughput ?? catalog.find((s) => /throughput/i.test(s.key)) ?? catalog[0]
  return first ? [first.key] : []
}
