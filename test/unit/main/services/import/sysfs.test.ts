import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { c as createTar } from 'tar'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { importMachine } from '../../../../../main/services/import/machine'
import { readMachineInputs } from '../../../../../main/services/import/read-inputs'

/**
 * A 2-socket + 2 CPU-less node machine as /sys/devices/system/node shows it (paths relative to
 * that folder). Distances as drivers/base/node.c prints them: one row per node, columns = online.
 */
const NODE_FOLDER: Record<string, string> = {
  online: '0-1,4-5\n',
  possible: '0-7\n',
  has_cpu: '0-1\n',
  has_memory: '0-1,4-5\n',
  'node0/cpulist': '0-3\n',
  'node0/meminfo': 'Node 0 MemTotal:       8388608 kB\n',
  'node0/distance': '10 21 14 24\n',
  'node1/cpulist': '4-7\n',
  'node1/meminfo': 'Node 1 MemTotal:       8388608 kB\n',
  'node1/distance': '21 10 24 14\n',
  'node4/cpulist': '\n',
  'node4/meminfo': 'Node 4 MemTotal:       4194304 kB\n',
  'node4/distance': '14 24 10 26\n',
  'node5/cpulist': '\n',
  'node5/meminfo': 'Node 5 MemTotal:       4194304 kB\n',
  'node5/distance': '24 14 26 10\n',
}
const SLIT = [
  [10, 21, 14, 24],
  [21, 10, 24, 14],
  [14, 24, 10, 26],
  [24, 14, 26, 10],
]

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tierlab-sysfs-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function writeTree(root: string, files: Record<string, string>) {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true })
    writeFileSync(join(root, p), text)
  }
}

function files(
  edit: (f: Record<string, string>) => void = () => {},
  prefix = 'sys/devices/system/node/',
) {
  const f = { ...NODE_FOLDER }
  edit(f)
  return new Map(Object.entries(f).map(([p, t]) => [prefix + p, t]))
}

async function machine(input: Map<string, string>) {
  const { topology, warnings } = await importMachine([{ name: 'snap', files: input }])
  const machineNodes = topology.measured?.machineNodes ?? []
  const a = analyzeTopology(topology)
  return {
    nodes: a.nodes.map((n) => [machineNodes[n.node], n.cpus, n.capacityBytes / 1024]),
    distance: topology.measured?.distance,
    warnings: warnings.join('\n'),
  }
}

const WHOLE = [
  [0, 4, 8388608],
  [1, 4, 8388608],
  [4, 0, 4194304],
  [5, 0, 4194304],
]

describe('sysfs snapshots as users make them', () => {
  it('reads `tar` of /sys, whose files are padded with NUL bytes to 4096', async () => {
    const padded = files((f) => {
      for (const k of Object.keys(f)) f[k] = f[k].padEnd(4096, '\0')
    })
    const got = await machine(padded)
    expect(got.nodes).toEqual(WHOLE)
    expect(got.distance).toEqual(SLIT)
  })

  it('reads a copy of the node folder alone, as a folder and as a tar.gz', async () => {
    writeTree(join(dir, 'node'), NODE_FOLDER)
    writeFileSync(join(dir, 'node', 'uevent'), '')
    const folder = await importMachine(await readMachineInputs([join(dir, 'node')]))
    await createTar({ gzip: true, file: join(dir, 'node.tgz'), cwd: dir }, ['node'])
    const tgz = await importMachine(await readMachineInputs([join(dir, 'node.tgz')]))
    for (const { topology, warnings } of [folder, tgz]) {
      expect(topology.measured?.machineNodes).toEqual([0, 1, 4, 5])
      expect(topology.measured?.distance).toEqual(SLIT)
      expect(warnings.join('\n')).not.toMatch(/uevent|not a format/)
    }
  })

  it('reads a whole /sys without reporting its other files, but still takes a tool output there', async () => {
    const sys = files(() => {}, 'devices/system/node/')
    sys.set('kernel/address_bits', '48\n')
    sys.set('power/state', 'freeze mem disk\n')
    const got = await machine(sys)
    expect(got.nodes).toEqual(WHOLE)
    expect(got.warnings).not.toMatch(/address_bits|power\/state|not a format/)
    sys.set('numactl.txt', 'available: 1 nodes (0)\nnode 0 cpus: 0 1 2 3\nnode 0 size: 8192 MB\n')
    const { formats } = await importMachine([{ name: 'snap', files: sys }])
    expect(formats.map((f) => f.format)).toEqual(['sysfs', 'numactl'])
  })

  it('keeps the SLIT when half the node folders and the online list are gone', async () => {
    const got = await machine(
      files((f) => {
        delete f.online
        for (const k of Object.keys(f)) if (/^node(1|5)\//.test(k)) delete f[k]
      }),
    )
    expect(got.nodes).toEqual([WHOLE[0], WHOLE[2]])
    expect(got.distance).toEqual([
      [10, 14],
      [14, 10],
    ])
    expect(got.warnings).toMatch(
      /has_cpu and has_memory list node\(s\) 1, 5 but the snapshot has no folder for them/,
    )
  })

  it("fills one missing or short distance row from the others' columns, with a warning", async () => {
    for (const edit of [
      (f: Record<string, string>) => delete f['node4/distance'],
      (f: Record<string, string>) => (f['node4/distance'] = '14 24\n'),
    ]) {
      const got = await machine(files(edit))
      expect(got.distance).toEqual(SLIT)
      expect(got.warnings).toMatch(/node4\/distance is missing or short; its row is taken from/)
    }
    // Two rows gone: the distance between those two nodes is unknown.
    const two = await machine(
      files((f) => {
        delete f['node4/distance']
        delete f['node5/distance']
      }),
    )
    expect(two.distance).toBeUndefined()
    expect(two.warnings).toMatch(/rows of nodes 4, 5 are missing or short/)
  })

  it('keeps a node that has_cpu lists as a socket when its cpulist is lost', async () => {
    const got = await machine(files((f) => delete f['node1/cpulist']))
    expect(got.nodes[1]).toEqual([1, 1, 8388608])
    expect(got.warnings).toMatch(/node 1 has CPUs \(sysfs has_cpu\) but no file lists them/)
  })
})
