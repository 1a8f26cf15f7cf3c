import {
  GROUP_LABELS,
  METRIC_GROUPS,
  seriesInfo,
  type MetricBetter,
  type MetricGroup,
} from '../../../../../shared/metrics/catalogue'

/** What the picker needs of a series: its key, and the label and unit it carries. */
export interface SeriesMeta {
  key: string
  label: string
  unit: string
  /** A policy's own series may say which way is better. */
  better?: MetricBetter
}

export interface SeriesGroup {
  /** The metric catalogue's group: run, process, node or policy. */
  group: MetricGroup
  /** The group's heading in the picker. */
  label: string
  items: SeriesMeta[]
}

/** The series grouped as the metric catalogue groups them, run-wide first, without repeats. */
export function groupSeries(catalog: readonly SeriesMeta[]): SeriesGroup[] {
  const groups = new Map<MetricGroup, SeriesMeta[]>()
  for (const s of catalog) {
    const group = seriesInfo(s.key, s).group
    let items = groups.get(group)
    if (!items) groups.set(group, (items = []))
    if (!items.some((i) => i.key === s.key)) items.push(s)
  }
  return METRIC_GROUPS.filter((g) => groups.has(g)).map((group) => ({
    group,
    label: GROUP_LABELS[group],
    items: groups.get(group)!,
  }))
}

/** The union of the runs' series, in order of first appearance (runs may differ in processes and nodes). */
export function seriesCatalog(perRun: ReadonlyArray<readonly SeriesMeta[]>): SeriesMeta[] {
  const seen = new Map<string, SeriesMeta>()
  for (const list of perRun)
    for (const s of list)
      if (!seen.has(s.key))
        seen.set(s.key, {
          key: s.key,
          label: s.label,
          unit: s.unit,
          ...(s.better ? { better: s.better } : {}),
        })
  return [...seen.values()]
}

/** Per-node used memory (`node.<n>.usedBytes`), drawn as stacked areas. */
export function isNodeUsedSeries(s: SeriesMeta): boolean {
  const info = seriesInfo(s.key, s)
  return info.group === 'node' && info.kind === 'usedBytes'
}

/** The default overlay: run-wide throughput, else the first process's, else the first series. */
export function defaultSeriesKeys(catalog: readonly SeriesMeta[]): string[] {
  const kind = (s: SeriesMeta) => seriesInfo(s.key, s)
  const first =
    catalog.find((s) => kind(s).group === 'run' && kind(s).kind === 'throughputOpsPerS') ??
    catalog.find((s) => kind(s).group === 'process' && kind(s).kind === 'throughputOpsPerS') ??
    catalog[0]
  return first ? [first.key] : []
}
