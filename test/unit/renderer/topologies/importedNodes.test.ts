import { describe, expect, it } from 'vitest'
import { importedNodeRows } from '../../../../renderer/src/features/topologies/model/importedNodes'
import type { Topology } from '../../../../shared/formats/topology'

const memory = (capacityGiB: number, media: string) => ({
  capacityGiB,
  media,
  readLatencyNs: 100,
  writeLatencyNs: 100,
  readBandwidthGBps: 100,
  writeBandwidthGBps: 100,
})

describe('importedNodeRows', () => {
  it('names what each NUMA node is: CPUs, on-package boot memory, CXL/PMEM, GPU memory', () => {
    const topology = {
      format: 'tierlab.topology/v1',
      name: 'm',
      components: [
        { id: 's0', kind: 'socket', cores: 16, memory: memory(1, 'DDR5') },
        {
          id: 'node4',
          kind: 'cxl-memory',
          name: 'Node 4 (on-package HBM)',
          onlining: 'boot',
          memory: memory(2, 'MCDRAM'),
        },
        { id: 'node5', kind: 'cxl-memory', memory: memory(64, 'CXL DRAM') },
        { id: 'sw', kind: 'cxl-switch', latencyNs: 70 },
        { id: 'g0', kind: 'gpu', coherent: true, memory: memory(96, 'HBM3') },
      ],
      links: [],
    } as unknown as Topology
    expect(importedNodeRows(topology).map((r) => [r.id, r.name, r.kind, r.cpus, r.media])).toEqual([
      ['s0', 's0', 'CPUs + memory', 16, 'DDR5'],
      ['node4', 'Node 4 (on-package HBM)', 'CPU-less, on-package', 0, 'MCDRAM'],
      ['node5', 'node5', 'CPU-less, CXL/PMEM', 0, 'CXL DRAM'],
      ['g0', 'g0', 'GPU memory (coherent)', 0, 'HBM3'],
    ])
    expect(importedNodeRows(undefined)).toEqual([])
  })
})
