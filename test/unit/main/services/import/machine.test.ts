import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { importMachine } from '../../../../../main/services/import/machine'
import { fixture, importFixtures } from './helpers'

const MiB = 2 ** 20
const GiB = 2 ** 30

describe('import-machine: hwloc XML', () => {
  it('reads a KNL-like machine as 4 CPU nodes and 4 CPU-less HBM nodes, 12 GiB in all', async () => {
    const { topology } = await importFixtures('hwloc/64intel64-heteromem.xml')
    const a = analyzeTopology(topology)
    expect(a.nodes).toHaveLength(8)
    expect(a.nodes.filter((n) => n.cpus > 0).map((n) => n.cpus)).toEqual([16, 16, 16, 16])
    const hbm = a.nodes.filter((n) => n.cpus === 0)
    expect(hbm).toHaveLength(4)
    expect(hbm.every((n) => n.media === 'HBM')).toBe(true)
    expect(a.nodes.reduce((s, n) => s + n.capacityBytes, 0)).toBe(12 * GiB)
    // HBM is boot memory, not dax/kmem; the memattr bandwidths are kept (90000 MB/s).
    const h = topology.components.find((c) => c.id === 'node4')
    expect(h).toMatchObject({ kind: 'cxl-memory', onlining: 'boot' })
    expect(h && 'memory' in h && h.memory.readBandwidthGBps).toBe(90)
    // Each HBM node hangs off the DRAM node it shares its CPUs with (os 4 is local to os 1).
    expect(topology.links.find((l) => l.b === 'node4')?.a).toBe('s1')
    expect(topology.measured?.machineNodes).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  })

  it('reads XML 2.0 and 3.0 alike, and the NUMALatency matrix as the SLIT', async () => {
    const v2 = await importFixtures('hwloc/cxlmem+dax.v2.xml')
    const v3 = await importFixtures('hwloc/cxlmem+dax.v3.xml')
    expect(v2.topology.components).toEqual(v3.topology.components)
    const two = await importFixtures('hwloc/24em64t-2n6c2t-pci.xml')
    expect(analyzeTopology(two.topology).distance).toEqual([
      [10, 20],
      [20, 10],
    ])
  })

  it('refuses truncated XML with the line, an unknown version, and a topology without memory', async () => {
    const whole = fixture('hwloc/24em64t-2n6c2t-pci.xml')
    if (!('data' in whole)) throw new Error('fixture')
    const cut = { name: 'cut.xml', data: whole.data.subarray(0, 3000) }
    await expect(importMachine([cut])).rejects.toThrow(
      /cut\.xml: is not well-formed XML \(line \d+/,
    )
    const future = {
      name: 'future.xml',
      data: Buffer.from(
        '<?xml version="1.0"?>\n<topology version="9.0">\n<object type="Machine"/>\n</topology>\n',
      ),
    }
    await expect(importMachine([future])).rejects.toThrow(
      /future\.xml: is hwloc XML version 9\.0, which Tierlab does not read/,
    )
    const empty = {
      name: 'empty.xml',
      data: Buffer.from(
        '<?xml version="1.0"?>\n<topology>\n<object type="Machine"/>\n</topology>\n',
      ),
    }
    await expect(importMachine([empty])).rejects.toThrow(/empty\.xml: has no NUMANode object/)
  })
})

describe('import-machine: numactl --hardware', () => {
  it('gives 2 sockets + 2 CPU-less CXL nodes their exact sizes, CPUs and SLIT', async () => {
    const { topology, warnings } = await importFixtures('numactl/2s-2cxl.txt')
    const a = analyzeTopology(topology)
    expect(a.nodes.map((n) => [n.cpus, n.capacityBytes])).toEqual([
      [112, 515714 * MiB],
      [112, 516063 * MiB],
      [0, 131072 * MiB],
      [0, 131072 * MiB],
    ])
    expect(a.nodes.map((n) => n.kind)).toEqual(['socket', 'socket', 'cxl-memory', 'cxl-memory'])
    expect(a.distance).toEqual([
      [10, 21, 14, 24],
      [21, 10, 24, 14],
      [14, 24, 10, 26],
      [24, 14, 26, 10],
    ])
    // Each CXL node hangs off its nearest socket; the defaults are warnings naming the fields.
    expect(topology.links.filter((l) => l.kind === 'cxl').map((l) => [l.a, l.b])).toEqual([
      ['s0', 'node2'],
      ['s1', 'node3'],
    ])
    expect(warnings.join('\n')).toMatch(/components\[\]\.memory/)
    expect(warnings.join('\n')).toMatch(/set generation and lanes/)
  })

  it('keeps nodes with CPUs but no memory (NPS4) as sockets of 0 bytes', async () => {
    const a = analyzeTopology(
      (await importFixtures('numactl/threadripper-3960x-nps4.txt')).topology,
    )
    expect(a.nodes.map((n) => [n.cpus, n.capacityBytes])).toEqual([
      [12, 0],
      [12, 64307 * MiB],
      [12, 64472 * MiB],
      [12, 0],
    ])
    expect(a.distance[0]).toEqual([10, 12, 12, 12])
  })

  it('refuses output of an unknown numactl version instead of half reading it', async () => {
    const odd = {
      name: 'numa.txt',
      data: Buffer.from('available: 2 nodes (0-1)\nNODE0 CPUS=0-3\n'),
    }
    await expect(importMachine([odd])).rejects.toThrow(
      /numa\.txt: has no `node N cpus:`.*numactl --hardware/,
    )
  })
})

describe('import-machine: sysfs, CXL and curves', () => {
  it('reads a sysfs snapshot tar.gz with its own node numbers and HMAT bandwidths', async () => {
    const { topology, warnings } = await importFixtures('sysfs/fakeheteromemtiers.tar.gz')
    const a = analyzeTopology(topology)
    expect(topology.measured?.machineNodes).toEqual([0, 1, 2, 4, 6, 8, 9])
    expect(a.nodes.map((n) => n.cpus)).toEqual([2, 2, 2, 0, 0, 0, 0])
    expect(a.nodes[0].capacityBytes).toBe(3005392 * 1024)
    // node 2's access1 read bandwidth is 10000 MB/s, as sysfs printed it.
    expect(a.nodes[2].access1?.readBandwidthMBps).toBe(10000)
    expect(warnings.join('\n')).toMatch(/analyze. reports them under these ids/)
  })

  it('warns about the nodes a snapshot lacks and imports the rest', async () => {
    const { readBundle } = await import('../../../../../main/services/import/bundle')
    const f = fixture('sysfs/fakeheteromemtiers.tar.gz')
    if (!('data' in f)) throw new Error('fixture')
    const files = await readBundle(f.data, f.name)
    for (const p of [...files.keys()]) if (/node(4|6|8)\//.test(p)) files.delete(p)
    const { topology, warnings } = await importMachine([{ name: 'half', files }])
    expect(analyzeTopology(topology).nodes).toHaveLength(4)
    expect(warnings.join('\n')).toMatch(
      /online list node\(s\) 4, 6, 8 but the snapshot has no folder/,
    )
  })

  it('joins a cxl list region to the node daxctl onlined it as', async () => {
    const { topology } = await importFixtures(
      'numactl/1s-1cxl-single-device.txt',
      'cxl/single-device.json',
      'cxl/single-device.daxctl.json',
    )
    const c = topology.components.find((x) => x.id === 'node1')
    expect(c?.name).toBe('region0 (1-way, mem0)')
    expect(c && 'memory' in c && c.memory.capacityGiB).toBe(128)
  })

  it('turns an MLC loaded-latency table into the sockets loaded-latency curve', async () => {
    const { topology } = await importFixtures(
      'hwloc/24em64t-2n6c2t-pci.xml',
      'mlc/xeon-silver-4110-loaded-latency.txt',
    )
    const s = topology.components[0]
    const curve = 'memory' in s ? s.memory.loadedLatency : undefined
    expect(curve?.[0].utilisation).toBeCloseTo(1237.6 / 135655.9, 6)
    expect(curve?.at(-1)).toEqual({ utilisation: 1, latencyFactor: 130.37 / 81.96 })
    // Rises with load: the knee's lower-latency heavier points are flattened, never a dip.
    for (let i = 1; i < (curve?.length ?? 0); i++)
      expect(curve![i].latencyFactor).toBeGreaterThanOrEqual(curve![i - 1].latencyFactor)
  })

  it('attaches a Mess curve to the node named with --curve', async () => {
    const { topology } = await importMachine([fixture('numactl/2s-2cxl.txt')], {
      curves: [{ node: 2, input: fixture('mess/bwlat_22.txt') }],
    })
    const c = topology.components.find((x) => x.id === 'node2')
    const curve = c && 'memory' in c ? c.memory.loadedLatency : undefined
    expect(curve?.at(-1)?.utilisation).toBe(1)
    expect(curve?.at(-1)?.latencyFactor).toBeCloseTo(325.5504 / 225.6303, 9)
  })
})

describe('import-machine: bad input', () => {
  it('stops at the first bytes of binary garbage', async () => {
    const junk = Buffer.alloc(8 * MiB, 0xab)
    junk[100] = 0
    await expect(importMachine([{ name: 'junk.bin', data: junk }])).rejects.toThrow(
      /junk\.bin: is binary data/,
    )
  })

  it('refuses a device or pipe (/dev/zero never ends) before reading it', async () => {
    const { readMachineInputs } = await import('../../../../../main/services/import/read-inputs')
    await expect(readMachineInputs(['/dev/zero'])).rejects.toThrow(
      /\/dev\/zero: is not a regular file \(a device, pipe or socket\)/,
    )
  }, 10_000)

  it('names text it cannot read', async () => {
    const text = { name: 'notes.txt', data: Buffer.from('hello\nworld\n') }
    await expect(importMachine([text])).rejects.toThrow(
      /notes\.txt: is not a format Tierlab reads; give one of: hwloc XML/,
    )
  })

  it('refuses a tar.gz that is cut short', async () => {
    const f = fixture('sysfs/fakeheteromemtiers.tar.gz')
    if (!('data' in f)) throw new Error('fixture')
    await expect(
      importMachine([{ name: 'cut.tgz', data: f.data.subarray(0, 600) }]),
    ).rejects.toThrow(/cut\.tgz: /)
  })
})
