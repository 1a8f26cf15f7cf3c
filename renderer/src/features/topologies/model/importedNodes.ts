import type { Topology } from '../../../../../shared/formats/topology'

export interface ImportedNodeRow {
  id: string
  name: string
  /** What the node is, in the words of the machine rather than the component kind. */
  kind: string
  cpus: number
  capacityGiB: number
  media: string
}

/** How each memory-bearing component reads in the import preview. */
function kindLabel(c: Topology['components'][number]): string {
  switch (c.kind) {
    case 'socket':
      return 'CPUs + memory'
    case 'cxl-memory':
      // `boot` memory is on-package HBM/MCDRAM handed over by firmware; dax/kmem is a CXL expander or PMEM.
      return c.onlining === 'boot' ? 'CPU-less, on-package' : 'CPU-less, CXL/PMEM'
    case 'gpu':
      return c.coherent ? 'GPU memory (coherent)' : 'GPU memory (device-private)'
    default:
      return c.kind
  }
}

/** One row per memory-bearing component: what the import made of each NUMA node. */
export function importedNodeRows(topology: Topology | undefined): ImportedNodeRow[] {
  return (topology?.components ?? []).flatMap((c) =>
    'memory' in c
      ? [
          {
            id: c.id,
            name: c.name ?? c.id,
            kind: kindLabel(c),
            cpus: c.kind === 'socket' ? c.cores : 0,
            capacityGiB: c.memory.capacityGiB,
            media: c.memory.media,
          },
        ]
      : [],
  )
}
