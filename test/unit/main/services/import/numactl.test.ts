import { describe, expect, it } from 'vitest'
import { ImportError } from '../../../../../main/services/import/errors'
import { detectMachineText } from '../../../../../main/services/import/detect'
import { parseNumactl } from '../../../../../main/services/import/numactl'
import { importMachine } from '../../../../../main/services/import/machine'
import { importFixtures } from './helpers'

const MiB = 2 ** 20

/**
 * `numactl --hardware` as the versions print it (numactl.c hardware(), print_node_cpus(),
 * print_distances()): 2.0.9–2.0.18 use `% 3d` columns, 2.0.19 `% 4d` after `node  `, and
 * `--cpu-compress` (2.0.17+) prints ranges joined by ", " and the count in parentheses.
 */
const v2018 = `available: 4 nodes (0-3)
node 0 cpus: 0 1 2 3 8 9 10 11
node 0 size: 64167 MB
node 0 free: 62245 MB
node 1 cpus: 4 5 6 7 12 13 14 15
node 1 size: 64472 MB
node 1 free: 61391 MB
node 2 cpus:
node 2 size: 65536 MB
node 2 free: 65535 MB
node 3 cpus:
node 3 size: 131072 MB
node 3 free: 131070 MB
node distances:
node   0   1   2   3 
  0:  10  21  14  24 
  1:  21  10  24  14 
  2:  14  24  10  26 
  3:  24  14  26  10 
`
const v2019compressed = `available: 4 nodes (0-3)
node 0 cpus: 0-3, 8-11 (8)
node 0 size: 64167 MB
node 0 free: 62245 MB
node 1 cpus: 4-7, 12-15 (8)
node 1 size: 64472 MB
node 1 free: 61391 MB
node 2 cpus: (0)
node 2 size: 65536 MB
node 2 free: 65535 MB
node 3 cpus: (0)
node 3 size: 131072 MB
node 3 free: 131070 MB
node distances:
node     0    1    2    3 
   0:   10   21   14   24 
   1:   21   10   24   14 
   2:   14   24   10   26 
   3:   24   14   26   10 
`

const expected = {
  nodes: [
    { node: 0, cpus: 8, capacityBytes: 64167 * MiB },
    { node: 1, cpus: 8, capacityBytes: 64472 * MiB },
    { node: 2, cpus: 0, capacityBytes: 65536 * MiB },
    { node: 3, cpus: 0, capacityBytes: 131072 * MiB },
  ],
  slit: {
    nodeIds: [0, 1, 2, 3],
    matrix: [
      [10, 21, 14, 24],
      [21, 10, 24, 14],
      [14, 24, 10, 26],
      [24, 14, 26, 10],
    ],
  },
}

function read(text: string) {
  const facts = parseNumactl(text, 'numactl.txt')
  return {
    nodes: [...facts.nodes.values()].map((n) => ({
      node: n.node,
      cpus: n.cpus,
      capacityBytes: n.capacityBytes,
    })),
    slit: facts.slit,
    warnings: facts.warnings,
  }
}

describe('numactl --hardware across versions and pastes', () => {
  it('reads 2.0.19 --cpu-compress output like the plain list of 2.0.9–2.0.18', () => {
    const plain = read(v2018)
    const compressed = read(v2019compressed)
    expect(plain).toMatchObject(expected)
    expect(compressed).toMatchObject(expected)
    expect(compressed.warnings).toEqual([])
  })

  it('refuses a --cpu-compress count that its ranges do not add up to', () => {
    expect(() => read(v2019compressed.replace('(8)', '(9)'))).toThrow(
      /numactl\.txt: node 0 cpus: "0-3, 8-11 \(9\)" lists 8 CPUs but says \(9\)/,
    )
  })

  it('reads output pasted with indentation, tabs, CRLF, a prompt line and no free: lines', () => {
    const pasted =
      '$ numactl --hardware\r\n' +
      v2019compressed
        .split('\n')
        .filter((l) => !l.includes('free:'))
        .map((l) => (l === '' ? l : `    ${l}`))
        .join('\r\n')
    const tabbed = v2018
      .split('\n')
      .map((l) => `\t${l}`)
      .join('\n')
    // RHEL's prompt starts the file with '[', like a JSON list.
    const rhel = `[root@server ~]# numactl --hardware\n${v2018}[root@server ~]#\n`
    const markdown = `\`\`\`console\n$ numactl -H\n${v2018}\`\`\`\n`
    for (const text of [pasted, tabbed, rhel, markdown]) {
      const d = detectMachineText(text, 'pasted.txt')
      expect(d.format).toBe('numactl')
      const got = read(text)
      expect(got).toMatchObject(expected)
      expect(got.warnings).toEqual([])
    }
  })

  it('keeps non-contiguous node ids and 3-digit distances (255 = unreachable)', () => {
    const text = `available: 4 nodes (0-1,4-5)
node 0 cpus: 0 1
node 0 size: 1024 MB
node 1 cpus: 2 3
node 1 size: 2048 MB
node 4 cpus:
node 4 size: 4096 MB
node 5 cpus:
node 5 size: 8192 MB
node distances:
node     0    1    4    5 
   0:   10   40   80  120 
   1:   40   10  120   80 
   4:   80  120   10  255 
   5:  120   80  255   10 
`
    const got = read(text)
    expect(got.nodes.map((n) => n.node)).toEqual([0, 1, 4, 5])
    expect(got.slit).toEqual({
      nodeIds: [0, 1, 4, 5],
      matrix: [
        [10, 40, 80, 120],
        [40, 10, 120, 80],
        [80, 120, 10, 255],
        [120, 80, 255, 10],
      ],
    })
  })

  it('says so when numactl printed no distance table or no size', () => {
    const got = read(
      v2018
        .slice(0, v2018.indexOf('node distances:'))
        .replace('node 1 size: 64472 MB', 'node 1 size: <not available>') +
        'No distance information available.\n',
    )
    expect(got.slit).toBeUndefined()
    expect(got.nodes[1].capacityBytes).toBeUndefined()
    expect(got.warnings.join('\n')).toMatch(/No distance information available.*drawn links/)
    expect(got.warnings.join('\n')).toMatch(/node 1 size is "<not available>"/)
    expect(got.warnings.join('\n')).not.toMatch(/not in the numactl --hardware format/)
  })

  it('never reads a cut-short output as a smaller machine: wherever it is cut, it is whole or refused', () => {
    let refused = 0
    for (let at = 0; at < v2018.length; at++) {
      const text = v2018.slice(0, at)
      let got
      try {
        got = read(text)
      } catch (err) {
        expect(err).toBeInstanceOf(ImportError)
        expect((err as Error).message).toMatch(
          /^numactl\.txt: .*(cut short|not `numactl --hardware`)/,
        )
        refused++
        continue
      }
      // What is read is the machine as it is; only the table may be missing, with a warning.
      expect(got.nodes).toEqual(expected.nodes)
      if (got.slit === undefined)
        expect(got.warnings.join('\n')).toMatch(/no "node distances:" table/)
      else expect(got.slit).toEqual(expected.slit)
    }
    expect(refused).toBeGreaterThan(v2018.length / 2)
  })

  it('reads the output saved as UTF-16 (PowerShell `>`) or with a UTF-8 byte-order mark', async () => {
    const crlf = v2018.replace(/\n/g, '\r\n')
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf, 'utf16le')])
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(crlf, 'utf16le').swap16()])
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(v2018)])
    for (const data of [le, be, bom]) {
      const { topology } = await importMachine([{ name: 'numactl.txt', data }])
      expect(topology.measured?.machineNodes).toEqual([0, 1, 2, 3])
      expect(topology.measured?.distance).toEqual(expected.slit.matrix)
    }
  })

  it('names the line when a CPU list is not one', () => {
    expect(() => read(v2018.replace('node 1 cpus: 4 5 6 7', 'node 1 cpus: four'))).toThrow(
      ImportError,
    )
  })

  it('reads a real 2-socket + 2 CXL machine whose CXL nodes differ in size', async () => {
    const { topology } = await importFixtures('numactl/2s-2cxl-scargall.txt')
    expect(topology.measured?.machineNodes).toEqual([0, 1, 2, 3])
    expect(
      topology.components.map((c) => [
        c.id,
        'cores' in c ? c.cores : 0,
        'memory' in c ? c.memory.capacityGiB : undefined,
      ]),
    ).toEqual([
      ['s0', 104, 64167 / 1024],
      ['s1', 104, 64472 / 1024],
      ['node2', 0, 64],
      ['node3', 0, 128],
    ])
  })
})

describe('numactl joined with other files', () => {
  const sysfs = new Map([
    ['snap/devices/system/node/online', '0-1\n'],
    ['snap/devices/system/node/node0/cpulist', '0-7\n'],
    ['snap/devices/system/node/node0/meminfo', 'Node 0 MemTotal:       24683748 kB\n'],
    ['snap/devices/system/node/node0/distance', '10 20\n'],
    ['snap/devices/system/node/node1/cpulist', '\n'],
    ['snap/devices/system/node/node1/meminfo', 'Node 1 MemTotal:       8388608 kB\n'],
    ['snap/devices/system/node/node1/distance', '20 10\n'],
  ])
  const numactl = (node0MB: number) =>
    Buffer.from(
      `available: 2 nodes (0-1)\nnode 0 cpus: 0 1 2 3 4 5 6 7\nnode 0 size: ${node0MB} MB\nnode 1 cpus:\nnode 1 size: 8192 MB\nnode distances:\nnode   0   1 \n  0:  10  20 \n  1:  20  10 \n`,
    )

  it("takes numactl's whole MiB and sysfs's KiB of one node as the same size, keeping the finer", async () => {
    // 24683748 kB = 24105.22 MiB, which numactl prints as 24105 MB (bytes >> 20).
    for (const inputs of [
      [
        { name: 'snap', files: sysfs },
        { name: 'numactl.txt', data: numactl(24105) },
      ],
      [
        { name: 'numactl.txt', data: numactl(24105) },
        { name: 'snap', files: sysfs },
      ],
    ]) {
      const { topology, warnings } = await importMachine(inputs)
      expect(warnings.join('\n')).not.toMatch(/earlier file/)
      const s0 = topology.components.find((c) => c.id === 's0')
      expect(s0 && 'memory' in s0 ? s0.memory.capacityGiB * 2 ** 30 : 0).toBe(24683748 * 1024)
    }
  })

  it('still warns when the sizes really differ', async () => {
    const { warnings } = await importMachine([
      { name: 'snap', files: sysfs },
      { name: 'numactl.txt', data: numactl(20000) },
    ])
    expect(warnings.join('\n')).toMatch(
      /numactl\.txt: node 0 capacityBytes is .* in an earlier file/,
    )
  })

  it('calls an empty `cxl list` an empty list', async () => {
    await expect(
      importMachine([{ name: 'cxl.json', data: Buffer.from('[\n]\n') }]),
    ).rejects.toThrow(
      /cxl\.json: is an empty list: `cxl list` or `daxctl list` found no CXL region/,
    )
  })
})
