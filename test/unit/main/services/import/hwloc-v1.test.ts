import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { importMachine } from '../../../../../main/services/import/machine'
import { fixture, importFixtures } from './helpers'

const GiB = 2 ** 30

/** What a test needs of an import: per node (Tierlab order) CPUs, bytes, media and host socket. */
async function shape(path: string) {
  const { topology } = await importFixtures(path)
  const a = analyzeTopology(topology)
  const hostOf = (id: string) => topology.links.find((l) => l.b === id && l.kind !== 'upi')?.a
  return {
    topology,
    nodes: a.nodes.map((n) => ({
      cpus: n.cpus,
      bytes: n.capacityBytes,
      media: n.media,
      host: hostOf(n.component),
    })),
  }
}

describe('import-machine: hwloc XML 1.x and CPU-less nodes with an empty cpuset', () => {
  it('reads the fake KNL alike in XML 1.x, 2.0 (empty cpusets) and 3.0', async () => {
    const v1 = await shape('hwloc/64intel64-fakeKNL-SNC4-hybrid.v2tov1.xml')
    const v2 = await shape('hwloc/64intel64-fakeKNL-SNC4-hybrid.v1tov2.xml')
    const v3 = await shape('hwloc/64intel64-heteromem.xml')
    expect(v1.nodes).toHaveLength(8)
    expect(v1.nodes.filter((n) => n.cpus > 0).map((n) => n.cpus)).toEqual([16, 16, 16, 16])
    const hbm = v1.nodes.filter((n) => n.cpus === 0)
    expect(hbm.map((n) => n.media)).toEqual(['MCDRAM', 'MCDRAM', 'MCDRAM', 'MCDRAM'])
    expect(v1.nodes.reduce((s, n) => s + n.bytes, 0)).toBe(12 * GiB)
    // Each MCDRAM node hangs off the DDR node of its cluster (os 4 is in os 1's Group), read from
    // the Group's cpuset since its own is empty; XML 3.0 gives the same attachment.
    expect(hbm.map((n) => n.host)).toEqual(['s1', 's2', 's3', 's0'])
    expect(v2.nodes).toEqual(v1.nodes)
    expect(v3.nodes.map((n) => n.host)).toEqual(v1.nodes.map((n) => n.host))
    // On-package memory is boot memory, and says it is HBM where the media name does not.
    const mcdram = v1.topology.components.find((c) => c.id === 'node4')
    expect(mcdram).toMatchObject({ kind: 'cxl-memory', onlining: 'boot' })
    expect(mcdram?.name).toMatch(/on-package HBM/)
  })

  it('reads a real Xeon Phi 7210 exported as XML 1.x: 4 DDR nodes of 64 PUs, 4 MCDRAM of 4 GiB', async () => {
    const { nodes } = await shape('hwloc/xeonphi-7210-snc4-flat.v1.xml')
    expect(nodes.filter((n) => n.cpus > 0).map((n) => n.cpus)).toEqual([64, 64, 64, 64])
    const mcdram = nodes.filter((n) => n.cpus === 0)
    expect(mcdram.map((n) => [n.bytes, n.media])).toEqual(Array(4).fill([4 * GiB, 'MCDRAM']))
    // Machine node 6 follows node 3 in the file (same cluster), 7 follows 2.
    expect(mcdram.map((n) => n.host)).toEqual(['s0', 's1', 's3', 's2'])
  })

  it('reads an XML 1.x distances matrix, relative to its object and scaled by latency_base', async () => {
    const node = (os: number, cpus: string, mem: number, type?: string, children = '') =>
      `<object type="NUMANode" os_index="${os}" cpuset="${cpus}" local_memory="${mem}">${type ? `<info name="Type" value="${type}"/>` : ''}${children}</object>`
    const pu = (os: number) =>
      `<object type="PU" os_index="${os}" cpuset="0x${(1 << os).toString(16)}"/>`
    const xml = `<?xml version="1.0"?>
<topology>
  <object type="Machine" os_index="0" cpuset="0x0000000f">
    <distances nbobjs="3" relative_depth="2" latency_base="10.000000">
      <latency value="1.0"/><latency value="2.1"/><latency value="1.4"/>
      <latency value="2.1"/><latency value="1.0"/><latency value="2.4"/>
      <latency value="1.4"/><latency value="2.4"/><latency value="1.0"/>
    </distances>
    <object type="Package" os_index="0" cpuset="0x00000003">
      ${node(0, '0x00000003', 4 * GiB, 'DRAM', pu(0) + pu(1))}
      ${node(2, '0x0', 8 * GiB, 'MCDRAM')}
    </object>
    <object type="Package" os_index="1" cpuset="0x0000000c">
      ${node(1, '0x0000000c', 4 * GiB, undefined, pu(2) + pu(3))}
    </object>
  </object>
</topology>`
    const { topology } = await importMachine([{ name: 'v1.xml', data: Buffer.from(xml) }])
    const a = analyzeTopology(topology)
    expect(a.nodes.map((n) => [n.component, n.cpus, n.capacityBytes / GiB])).toEqual([
      ['s0', 2, 4],
      ['s1', 2, 4],
      ['node2', 0, 8],
    ])
    // The file orders the matrix 0, 2, 1 (document order); Tierlab's order is 0, 1, 2.
    expect(a.distance).toEqual([
      [10, 14, 21],
      [14, 10, 24],
      [21, 24, 10],
    ])
    expect(topology.measured?.machineNodes).toEqual([0, 1, 2])
  })

  it('takes a CPU-less node without media but over twice the DRAM bandwidth as HBM, as hwloc guesses', async () => {
    const f = fixture('hwloc/64intel64-heteromem.xml')
    if (!('data' in f)) throw new Error('fixture')
    const data = Buffer.from(
      Buffer.from(f.data)
        .toString('utf8')
        .replace(/ subtype="[^"]*"/g, ''),
    )
    const { topology, warnings } = await importMachine([{ name: 'nosubtype.xml', data }])
    const a = analyzeTopology(topology)
    expect(a.nodes.filter((n) => n.cpus === 0).map((n) => n.media)).toEqual(Array(4).fill('HBM'))
    expect(topology.components.find((c) => c.id === 'node4')).toMatchObject({ onlining: 'boot' })
    expect(warnings.join('\n')).toMatch(
      /node 4 .*90000 MB\/s is over twice the DRAM nodes' 22500 MB\/s/,
    )
  })
})
