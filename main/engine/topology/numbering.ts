import type { AnalysedInitiator } from '../../../shared/analysis'
import type { MemoryComponent, Topology } from '../../../shared/formats/topology'

/** A NUMA node before analysis: which component holds its memory and whether it has CPUs. */
export interface NumaNode {
  node: number
  component: MemoryComponent
  /** Node has CPUs (N_CPU): only sockets do. */
  hasCpu: boolean
  /** Node has memory (N_MEMORY): a zero-capacity component onlines none. */
  hasMemory: boolean
}

/**
 * NUMA node ids (DESIGN.md §8): sockets in file order, then the other memory-bearing components in
 * file order. A non-coherent GPU's memory is device-private, so it is not a node; a CXL switch has
 * no memory.
 */
export function numberNodes(topology: Topology): NumaNode[] {
  const sockets = topology.components.filter((c) => c.kind === 'socket')
  const others = topology.components.filter(
    (c) => c.kind === 'cxl-memory' || (c.kind === 'gpu' && c.coherent),
  )
  return [...sockets, ...others].map((component, node) => ({
    node,
    component: component as MemoryComponent,
    hasCpu: component.kind === 'socket',
    hasMemory: (component as MemoryComponent).memory.capacityGiB > 0,
  }))
}

/**
 * Initiators: sockets, then GPUs (coherent or not), each in file order. This is also the order in
 * which the HMAT-like tables list them (their proximity-domain order).
 */
export function listInitiators(topology: Topology, nodes: NumaNode[]): AnalysedInitiator[] {
  const nodeOf = new Map(nodes.map((n) => [n.component.id, n.node]))
  const out: AnalysedInitiator[] = []
  for (const kind of ['socket', 'gpu'] as const) {
    for (const c of topology.components) {
      if (c.kind === kind) out.push({ component: c.id, kind, node: nodeOf.get(c.id) ?? null })
    }
  }
  return out
}
