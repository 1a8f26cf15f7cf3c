import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { x as extract } from 'tar'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { buildTopology } from '../../../../../main/services/import/build-topology'
import { emptyFacts, nodeOf } from '../../../../../main/services/import/facts'
import { importMachine } from '../../../../../main/services/import/machine'
import { readMachineInputs } from '../../../../../main/services/import/read-inputs'
import { fixture, FIXTURES } from './helpers'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tierlab-sysfs-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('import-machine: more inputs', () => {
  it('reads a sysfs snapshot folder, whole or just its node folder', async () => {
    await extract({ file: join(FIXTURES, 'sysfs/fakeheteromemtiers.tar.gz'), cwd: dir })
    const root = join(dir, 'fakeheteromemtiers')
    const whole = await importMachine(await readMachineInputs([root]))
    const nodeDir = await importMachine(
      await readMachineInputs([join(root, 'sys/devices/system/node')]),
    )
    expect(whole.topology.measured?.machineNodes).toEqual([0, 1, 2, 4, 6, 8, 9])
    expect(nodeDir.topology.components).toEqual(whole.topology.components)
  })

  it('reads numactl --cpu-compress ranges', async () => {
    const text = [
      'available: 2 nodes (0-1)',
      'node 0 cpus: 0-3,8-11',
      'node 0 size: 1024 MB',
      'node 1 cpus:',
      'node 1 size: 2048 MB',
      'node distances:',
      'node   0   1 ',
      '  0:  10  17 ',
      '  1:  17  10 ',
    ].join('\n')
    const { topology } = await importMachine([{ name: 'compressed.txt', data: Buffer.from(text) }])
    const a = analyzeTopology(topology)
    expect(a.nodes.map((n) => n.cpus)).toEqual([8, 0])
    expect(a.distance).toEqual([
      [10, 17],
      [17, 10],
    ])
  })

  it('makes coherent GPU memory a gpu component and warns when the kernel tiers differ', () => {
    const facts = emptyFacts()
    facts.sources.push('sysfs')
    Object.assign(nodeOf(facts, 0), { cpus: 72, capacityBytes: 480 * 2 ** 30 })
    Object.assign(nodeOf(facts, 1), {
      cpus: 0,
      capacityBytes: 96 * 2 ** 30,
      kind: 'gpu',
      media: 'GPUMemory',
    })
    facts.slit = {
      nodeIds: [0, 1],
      matrix: [
        [10, 80],
        [80, 10],
      ],
    }
    // The machine's kernel put both nodes in one tier; without HMAT data Tierlab agrees...
    facts.kernelTiers = new Map([[4, [0, 1]]])
    const same = buildTopology(facts, 'gh')
    expect(same.topology.components[1]).toMatchObject({ id: 'node1', kind: 'gpu', coherent: true })
    expect(same.warnings.join('\n')).not.toMatch(/groups the nodes into tiers/)
    // ...and says so when the kernel's tiers are not the ones Tierlab computes.
    facts.kernelTiers = new Map([
      [4, [0]],
      [5, [1]],
    ])
    const differ = buildTopology(facts, 'gh')
    expect(differ.warnings.join('\n')).toMatch(
      /kernel groups the nodes into tiers \[\[0\],\[1\]\] but Tierlab computes \[\[0,1\]\]/,
    )
  })
})

describe('import-machine: the kernel documentation CXL configurations', () => {
  it('joins the inter-host-bridge interleave region to the node daxctl onlined it as', async () => {
    const { topology, warnings } = await importMachine(
      [
        'numactl/1s-1cxl-hb-interleave.txt',
        'cxl/hb-interleave.json',
        'cxl/hb-interleave.daxctl.json',
      ].map(fixture),
    )
    const node1 = topology.components.find((c) => c.id === 'node1')
    expect(node1?.name).toBe('region0 (2-way, mem1+mem0)')
    expect(node1 && 'memory' in node1 ? node1.memory.capacityGiB : 0).toBe(256)
    // Two Gen5 x8 devices interleaved: twice one device's link bandwidth.
    expect(topology.links.find((l) => l.b === 'node1')?.bandwidthGBps).toBe(63)
    expect(warnings.join('\n')).not.toMatch(/no DAX device/)
  })

  it('says a `cxl list -u` lost the exact sizes instead of asking for regions it has', async () => {
    const human = JSON.stringify([
      { region: 'region0', size: '256.00 GiB (274.88 GB)', type: 'ram', interleave_ways: 2 },
    ])
    const { warnings } = await importMachine([
      fixture('numactl/1s-1cxl-hb-interleave.txt'),
      { name: 'cxl-u.json', data: Buffer.from(human) },
    ])
    expect(warnings.join('\n')).toMatch(/cxl-u\.json: was listed with -u.*without -u/)
  })
})

describe('import-machine: a capture from a machine without NUMA sysfs', () => {
  it('reads no-numa.txt as one node, and refuses one without a CPU count', async () => {
    const text =
      'tierlab capture: no NUMA nodes in /sys/devices/system/node\ncpus: 8\nMemTotal:       16384000 kB\n'
    const { topology } = await importMachine([{ name: 'no-numa.txt', data: Buffer.from(text) }])
    expect(topology.components).toEqual([
      expect.objectContaining({
        kind: 'socket',
        cores: 8,
        memory: expect.objectContaining({ capacityGiB: (16384000 * 1024) / 2 ** 30 }),
      }),
    ])
    const bad = Buffer.from(
      'tierlab capture: no NUMA nodes in /sys/devices/system/node\nMemTotal: 1 kB\n',
    )
    await expect(importMachine([{ name: 'bad.txt', data: bad }])).rejects.toThrow(
      /bad\.txt: gives no CPU count/,
    )
  })
})
