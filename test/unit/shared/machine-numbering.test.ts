import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../main/engine/topology'
import { importMachine } from '../../../main/services/import/machine'
import { inMachineNumbering } from '../../../shared/machine-numbering'

const MiB = 2 ** 20

/** 2 sockets (nodes 0 and 3) and 2 CPU-less CXL nodes numbered between them (1 and 2). */
const cxlBetweenSockets = `available: 4 nodes (0-3)
node 0 cpus: 0 1 2 3
node 0 size: 128000 MB
node 0 free: 64000 MB
node 1 cpus:
node 1 size: 262144 MB
node 1 free: 262000 MB
node 2 cpus:
node 2 size: 131072 MB
node 2 free: 131000 MB
node 3 cpus: 4 5 6 7 8 9
node 3 size: 96000 MB
node 3 free: 48000 MB
node distances:
node   0   1   2   3 
  0:  10  14  24  21 
  1:  14  10  26  24 
  2:  24  26  10  14 
  3:  21  24  14  10 
`

async function analysed(text: string) {
  const { topology } = await importMachine([{ name: 'numactl.txt', data: Buffer.from(text) }])
  return {
    topology,
    analysis: inMachineNumbering(analyzeTopology(topology), topology.measured?.machineNodes),
  }
}

describe('analysis in the machine numbering', () => {
  it('reports CXL nodes numbered before a socket under their own ids, with the SLIT as given', async () => {
    const { topology, analysis } = await analysed(cxlBetweenSockets)
    // Tierlab itself numbers the sockets first…
    expect(topology.measured?.machineNodes).toEqual([0, 3, 1, 2])
    // …but the analysis speaks the machine's ids, in its order.
    expect(analysis.nodes.map((n) => [n.node, n.kind, n.cpus, n.capacityBytes])).toEqual([
      [0, 'socket', 4, 128000 * MiB],
      [1, 'cxl-memory', 0, 262144 * MiB],
      [2, 'cxl-memory', 0, 131072 * MiB],
      [3, 'socket', 6, 96000 * MiB],
    ])
    expect(analysis.distance).toEqual([
      [10, 14, 24, 21],
      [14, 10, 26, 24],
      [24, 26, 10, 14],
      [21, 24, 14, 10],
    ])
    // Each socket demotes to the CXL node nearest to it by the SLIT.
    expect(analysis.demotionTargets).toEqual({ 0: [1], 1: [], 2: [], 3: [2] })
    expect(analysis.tiers.flatMap((t) => t.nodes).sort()).toEqual([0, 1, 2, 3])
    expect(analysis.initiators.map((i) => i.node)).toEqual([0, 3])
    expect(new Set(analysis.paths.map((p) => p.node))).toEqual(new Set([0, 1, 2, 3]))
  })

  it('keeps non-contiguous ids (0, 1, 4, 5)', async () => {
    const text = cxlBetweenSockets
      .replace('available: 4 nodes (0-3)', 'available: 4 nodes (0-1,4-5)')
      .replace(/node 3 /g, 'node 1x ')
      .replace(/node 1 /g, 'node 4 ')
      .replace(/node 2 /g, 'node 5 ')
      .replace(/node 1x /g, 'node 1 ')
      .replace('node   0   1   2   3 ', 'node   0   4   5   1 ')
      .replace('  1:  14', '  4:  14')
      .replace('  2:  24', '  5:  24')
      .replace('  3:  21', '  1:  21')
    const { analysis } = await analysed(text)
    expect(analysis.nodes.map((n) => [n.node, n.cpus])).toEqual([
      [0, 4],
      [1, 6],
      [4, 0],
      [5, 0],
    ])
    // Rows and columns in id order 0, 1, 4, 5.
    expect(analysis.distance).toEqual([
      [10, 21, 14, 24],
      [21, 10, 24, 14],
      [14, 24, 10, 26],
      [24, 14, 26, 10],
    ])
    expect(analysis.demotionTargets).toEqual({ 0: [4], 1: [5], 4: [], 5: [] })
  })

  it('leaves a drawn topology, or one whose ids already match, as it is', async () => {
    const { topology } = await importMachine([
      {
        name: 'numactl.txt',
        data: Buffer.from(
          'available: 2 nodes (0-1)\nnode 0 cpus: 0 1\nnode 0 size: 1024 MB\nnode 1 cpus: 2 3\nnode 1 size: 1024 MB\n',
        ),
      },
    ])
    const plain = analyzeTopology(topology)
    expect(inMachineNumbering(plain, topology.measured?.machineNodes)).toBe(plain)
    expect(inMachineNumbering(plain, undefined)).toBe(plain)
  })
})
