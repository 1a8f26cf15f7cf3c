import type { AccessCoordinate } from '../../../shared/analysis'
import type { Topology } from '../../../shared/formats/topology'
import type { NumaNode } from './numbering'

type NodeAccess = { access0: AccessCoordinate | null; access1: AccessCoordinate | null }

/**
 * An imported machine's own HMAT/CDAT access coordinates (sysfs accessN, hwloc memattrs) replace
 * the ones derived from the drawn paths, node by node: the kernel builds tiers from what firmware
 * reports ([HMATC] drivers/acpi/numa/hmat.c), not from what Tierlab would derive. A class the file
 * did not give keeps the derived value.
 */
export function applyMeasuredAccess(
  topology: Topology,
  numa: NumaNode[],
  derived: NodeAccess[],
): NodeAccess[] {
  const list = topology.measured?.access
  if (!list || list.length === 0) return derived
  const byComponent = new Map(list.map((a) => [a.component, a]))
  return numa.map((n, i) => {
    const m = byComponent.get(n.component.id)
    if (!m) return derived[i]
    return {
      access0: m.access0 ?? m.access1 ?? derived[i].access0,
      access1: m.access1 ?? derived[i].access1,
    }
  })
}
