import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { importMachine } from '../../../../../main/services/import/machine'
import { FIXTURES } from './helpers'

const GiB = 2 ** 30

/**
 * The KNL-like machine of the Done-when (8 nodes: 4 with CPUs, 4 CPU-less HBM, 12 GiB),
 * written by hand by the re-check (fixtures/import/hwloc/README.md) in the shapes lstopo's own
 * test files do not cover: CRLF, single quotes, no DOCTYPE, attributes in another order,
 * interleaved node ids with the media only in memattrs; a `distances2` by gp index in chunks of
 * ten values; an XML 1.x export whose NUMA nodes carry no Type.
 */
async function analyse(file: string) {
  const data = readFileSync(join(FIXTURES, 'hwloc', file))
  const { topology, warnings } = await importMachine([{ name: file, data }])
  const a = analyzeTopology(topology)
  // [machine node id, CPUs, GiB, media] in the machine's own numbering, as `analyze` prints them.
  const ids = topology.measured?.machineNodes ?? a.nodes.map((n) => n.node)
  const rows = a.nodes
    .map((n) => [ids[n.node], n.cpus, n.capacityBytes / GiB, n.media] as const)
    .sort((x, y) => x[0] - y[0])
  return { a, rows, warnings: warnings.join('\n') }
}

describe('import-machine: hand-written KNL-like hwloc XML', () => {
  it('XML 2.0 with CRLF and single quotes: HBM from memattr bandwidth, nodes under their own ids', async () => {
    const { rows } = await analyse('handwritten-knl-snc4-memattr.v2.xml')
    expect(rows).toEqual([
      [0, 4, 3, 'DDR5'],
      [1, 0, 1, 'HBM'],
      [2, 4, 1, 'DDR5'],
      [3, 0, 1, 'HBM'],
      [4, 4, 2, 'DDR5'],
      [5, 0, 1, 'HBM'],
      [6, 4, 2, 'DDR5'],
      [7, 0, 1, 'HBM'],
    ])
  })

  it('XML 3.0 with a gp-indexed distances2 in chunks and HBM before DDR in each Group', async () => {
    const { a, rows } = await analyse('handwritten-knl-snc4-gp-distances.v3.xml')
    expect(rows).toEqual([
      [0, 4, 2, 'DDR5'],
      [1, 4, 2, 'DDR5'],
      [2, 4, 2, 'DDR5'],
      [3, 4, 2, 'DDR5'],
      [4, 0, 1, 'HBM'],
      [5, 0, 1, 'HBM'],
      [6, 0, 1, 'HBM'],
      [7, 0, 1, 'HBM'],
    ])
    // KNL SNC-4's SLIT (hwloc's KNL quirk lists it): DDR–DDR 21, DDR–local MCDRAM 31, else 41.
    const d = (i: number, j: number) =>
      i === j ? 10 : i < 4 && j < 4 ? 21 : i % 4 === j % 4 ? 31 : 41
    expect(a.distance).toEqual(a.nodes.map((_, i) => a.nodes.map((_, j) => d(i, j))))
  })

  it('XML 1.x without Type on a Xeon Phi: its CPU-less nodes are MCDRAM, as hwloc itself decides', async () => {
    const { a, rows, warnings } = await analyse('handwritten-knl-snc4-untyped.v1.xml')
    expect(rows).toEqual([
      [0, 4, 2, 'DDR5'],
      [1, 0, 1, 'MCDRAM'],
      [2, 4, 2, 'DDR5'],
      [3, 0, 1, 'MCDRAM'],
      [4, 4, 2, 'DDR5'],
      [5, 0, 1, 'MCDRAM'],
      [6, 4, 2, 'DDR5'],
      [7, 0, 1, 'MCDRAM'],
    ])
    // On-package memory onlined at boot: the DRAM tier, as the kernel puts memory without HMAT.
    expect(new Set(a.nodes.map((n) => n.tier)).size).toBe(1)
    expect(warnings).toMatch(/node 1 .*Xeon Phi\(TM\) CPU 7250.*imported as MCDRAM/)
  })

  it('the same XML 1.x without the CPU model says nothing of the media: a CXL default, with a warning', async () => {
    const text = readFileSync(
      join(FIXTURES, 'hwloc', 'handwritten-knl-snc4-untyped.v1.xml'),
      'utf8',
    ).replace(/ *<info name="CPU[^>]*>\n/g, '')
    const { topology, warnings } = await importMachine([
      { name: 'nomodel.xml', data: Buffer.from(text) },
    ])
    const a = analyzeTopology(topology)
    expect(a.nodes.filter((n) => n.cpus === 0).map((n) => n.media)).toEqual(
      Array(4).fill('CXL DRAM'),
    )
    expect(warnings.join('\n')).toMatch(/node 1 has no CPUs and the files do not name its media/)
  })
})
