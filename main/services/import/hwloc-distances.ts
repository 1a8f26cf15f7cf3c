import type { MachineFacts } from './facts'
import type { HwlocNuma, XmlObject } from './hwloc'

/**
 * The SLIT as hwloc exports it. XML 2.x/3.0: a `distances2` matrix of NUMANode objects (by os or gp
 * index) at the topology root. XML 1.x: a `distances` element inside the object the matrix is
 * relative to, whose `latency` values are normalised to `latency_base` and ordered by the logical
 * index of the NUMA nodes below that object (document order).
 */
export function readDistances(root: XmlObject, numa: HwlocNuma[], facts: MachineFacts): void {
  if (readV2(root, numa, facts)) return
  readV1(root, numa, facts)
}

function text(v: unknown): string {
  return typeof v === 'object' && v !== null
    ? String((v as { '#text'?: unknown })['#text'] ?? '')
    : String(v)
}

function numbers(list: unknown): number[] {
  return ((list ?? []) as unknown[])
    .map(text)
    .join(' ')
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '')
    .map(Number)
}

function readV2(root: XmlObject, numa: HwlocNuma[], facts: MachineFacts): boolean {
  const all = (root.distances2 ?? []) as XmlObject[]
  // NUMALatency is the OS's SLIT (kind FROM_OS|LATENCY = 5); prefer it by name.
  const d =
    all.find((x) => x.name === 'NUMALatency' && x.type === 'NUMANode') ??
    all.find((x) => x.type === 'NUMANode' && (Number(x.kind) & 4) !== 0)
  if (!d) return false
  const n = Number(d.nbobjs)
  const indexes = numbers(d.indexes)
  const values = numbers(d.u64values)
  if (indexes.length !== n || values.length !== n * n) {
    facts.warnings.push(
      `distances2 "${String(d.name)}" has ${indexes.length} indexes and ${values.length} values for ${n} nodes; ignoring it (the SLIT is derived from the drawn links)`,
    )
    return true
  }
  const byGp = new Map(numa.map((o) => [o.gpIndex, o.osIndex]))
  const nodeIds = d.indexing === 'gp' ? indexes.map((g) => byGp.get(g) ?? -1) : indexes
  facts.slit = { nodeIds, matrix: nodeIds.map((_, i) => values.slice(i * n, (i + 1) * n)) }
  return true
}

/** hwloc 1.x: `<distances nbobjs relative_depth latency_base><latency value/>…` in any object. */
function readV1(root: XmlObject, numa: HwlocNuma[], facts: MachineFacts): void {
  const visit = (o: XmlObject): boolean => {
    for (const d of (o.distances ?? []) as XmlObject[]) {
      const n = Number(d.nbobjs)
      const depth = Number(d.relative_depth)
      // The NUMA nodes this object holds at that depth, in logical (document) order.
      const nodes = numa.filter((x) => {
        const at = x.path.indexOf(o)
        return at >= 0 && x.path.length - at === depth
      })
      if (nodes.length === 0) continue // a matrix of another object type (packages, PUs)
      const base = Number(d.latency_base) || 1
      const values = ((d.latency ?? []) as XmlObject[]).map((l) => Number(l.value) * base)
      if (nodes.length !== n || values.length !== n * n || values.some((v) => !(v > 0))) {
        facts.warnings.push(
          `distances of ${n} objects with ${values.length} latencies for ${nodes.length} NUMA nodes; ignoring it (the SLIT is derived from the drawn links)`,
        )
        return true
      }
      const nodeIds = nodes.map((x) => x.osIndex)
      facts.slit = {
        nodeIds,
        matrix: nodeIds.map((_, i) => values.slice(i * n, (i + 1) * n).map(Math.round)),
      }
      return true
    }
    return (o.object ?? []).some(visit)
  }
  root.object?.some(visit)
}
