import { describe, expect, it } from 'vitest'
import type { Topology } from '../../../../shared/formats/topology'
import type { Workload } from '../../../../shared/formats/workload'
import { fitsInDramNotice } from '../../../../renderer/src/features/experiments/model/fitNotice'

import twoTenantsFile from '../../../../resources/presets/workloads/two-tenants.json'
import gpuEmbeddingsFile from '../../../../resources/presets/workloads/gpu-embeddings.json'
import twoSocketsFile from '../../../../resources/presets/topologies/2s-cxl.json'
import graceHopperFile from '../../../../resources/presets/topologies/grace-hopper.json'

// Fresh copies: the cases edit them.
const copy = <T>(file: unknown): T => structuredClone(file) as T
const twoTenants = copy<Workload>(twoTenantsFile)

/** The 2s-cxl preset with each socket's DRAM set to `dramGiB`. */
function machine(dramGiB: [number, number]): Topology {
  const t = copy<Topology>(twoSocketsFile)
  for (const c of t.components) {
    if (c.id === 's0' && c.kind === 'socket') c.memory.capacityGiB = dramGiB[0]
    if (c.id === 's1' && c.kind === 'socket') c.memory.capacityGiB = dramGiB[1]
  }
  return t
}

describe('fitsInDramNotice', () => {
  it('warns when each tenant fits in its socket: 16 GiB ≤ 256 and 24 GiB ≤ 256', () => {
    // 16 + 24 = 40 GiB of regions against 256 + 256 = 512 GiB of DRAM.
    expect(fitsInDramNotice(machine([256, 256]), twoTenants)).toContain(
      "The workload's 40 GiB fits in the sockets' 512 GiB of DRAM",
    )
  })

  it('stays quiet when one socket overflows though the total fits: 24 GiB > 20 GiB on s1', () => {
    // The total fits (16 + 24 = 40 ≤ 30 + 20 = 50), but s1 first-touches 24 GiB > its 20 GiB.
    expect(fitsInDramNotice(machine([30, 20]), twoTenants)).toBeNull()
  })

  it('stays quiet on the preset the workload was made for (16 GiB sockets)', () => {
    // s1: 24 GiB of tenant-b data > 16 GiB of DRAM.
    expect(fitsInDramNotice(machine([16, 16]), twoTenants)).toBeNull()
  })

  it('stays quiet while a size is being typed or a region is touched from a GPU', () => {
    const typing = structuredClone(twoTenants)
    ;(typing.regions[0] as { sizeGiB: unknown }).sizeGiB = ''
    expect(fitsInDramNotice(machine([256, 256]), typing)).toBeNull()
    const gpu = copy<Workload>(gpuEmbeddingsFile)
    expect(fitsInDramNotice(copy<Topology>(graceHopperFile), gpu)).toBeNull()
    expect(fitsInDramNotice(null, twoTenants)).toBeNull()
  })
})
