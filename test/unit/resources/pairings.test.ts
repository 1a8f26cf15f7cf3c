import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../main/engine/topology'
import { loadTopologyPresets } from '../../../main/services/presets'
import { loadWorkloadPresets } from '../../../main/services/experiments/workload-presets'
import {
  fittingPreset,
  PAIRED_WORKLOAD,
} from '../../../renderer/src/features/experiments/model/presetPairing'
import { RESOURCES } from './example-runs'

const GiB = 2 ** 30

/**
 * "Use in an experiment" shows each topology preset with its paired workload preset; the pairing
 * must run on the machine and must not fit the top tier, or every policy ties.
 */
describe('topology presets are shown with a workload that has something to tier', async () => {
  const topologies = await loadTopologyPresets(RESOURCES)
  const workloads = await loadWorkloadPresets(RESOURCES)

  it('pairs every topology preset', () => {
    expect(Object.keys(PAIRED_WORKLOAD).sort()).toEqual(topologies.map((t) => t.id).sort())
  })

  it.each(topologies.map((t) => [t.id, t] as const))(
    '%s: its pairing fits the machine and exceeds the top tier',
    (id, preset) => {
      const pairedId = PAIRED_WORKLOAD[id]
      expect(fittingPreset(workloads, preset.topology, id, null)).toBe(pairedId)
      const workload = workloads.find((w) => w.id === pairedId)!.workload
      const footprintBytes = workload.regions.reduce((sum, r) => sum + r.sizeGiB * GiB, 0)
      const topTierBytes = analyzeTopology(preset.topology)
        .nodes.filter((n) => n.topTier)
        .reduce((sum, n) => sum + n.capacityBytes, 0)
      expect(footprintBytes).toBeGreaterThan(topTierBytes)
    },
  )

  it('never offers a workload whose processes run on sockets the machine lacks', () => {
    const gh = topologies.find((t) => t.id === 'grace-hopper')!.topology
    const cxl = topologies.find((t) => t.id === '1s-cxl')!.topology
    // A saved machine (no preset id) keeps the current workload when it fits, else the first that does.
    expect(fittingPreset(workloads, cxl, null, 'gups')).toBe('gups')
    expect(fittingPreset(workloads, cxl, null, 'gpu-embeddings')).toBe('kv-store')
    expect(fittingPreset(workloads, gh, null, 'kv-store')).toBe('gpu-embeddings')
  })
})
