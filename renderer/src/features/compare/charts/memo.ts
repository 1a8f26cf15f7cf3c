/**
 * Caches a chart option per data object and label. Options are rebuilt only when a run's data
 * object changes (the store replaces it on reload), not on every render of the view: rebuilding
 * hands ECharts a new option, and a full redraw of heatmaps costs hundreds of ms.
 */
export function memoByData<D extends object, O>(
  build: (data: D, label: string) => O,
): (data: D, label: string) => O {
  const cache = new WeakMap<D, Map<string, O>>()
  return (data, label) => {
    let byLabel = cache.get(data)
    if (!byLabel) cache.set(data, (byLabel = new Map()))
    let option = byLabel.get(label)
    if (option === undefined) byLabel.set(label, (option = build(data, label)))
    return option
  }
}
