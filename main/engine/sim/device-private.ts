import type { Topology } from '../../../shared/formats/topology'
import { gibToBytes } from '../../../shared/units'
import { latencyCurveOf } from './latency-curve'
import type { Machine, SimNode, SimPath } from './machine'

/** Tier id the heatmap shows for device-private memory (outside the kernel's memory tiers). */
export const DEVICE_PRIVATE_TIER = -1

/**
 * A non-coherent GPU's memory is device-private [HWLOC]: not a NUMA node, invisible to the
 * kernel's tiers, allocation and reclaim, reachable by the GPU alone. Its driver can still
 * migrate pages into it (HMM migrate_vma, as CUDA's unified memory does), so the engine gives it a
 * node of its own after the kernel's nodes: a migration target (and a placement a policy may
 * choose), never a fallback or demotion target, not scanned for NUMA hints, no watermarks. Only
 * the GPU has a path to it; a CPU access to a page there is charged the unreachable latency (in
 * the kernel it faults the page back to system memory). Frames moving in or out are counted as
 * migrations, neither promotions nor demotions.
 */
export function addDevicePrivateNodes(m: Machine, topology: Topology): void {
  const before = m.nodes.length
  const added: SimNode[] = []
  const owner: number[] = []
  const ordinal = Math.max(0, ...m.nodes.map((n) => n.tierOrdinal)) + 1
  for (const [k, ini] of m.initiators.entries()) {
    if (ini.kind !== 'gpu' || ini.node !== null) continue
    const comp = topology.components.find((c) => c.id === ini.component)
    if (!comp || comp.kind !== 'gpu' || !comp.memory || comp.memory.capacityGiB <= 0) continue
    const mem = comp.memory
    const capacityBytes = gibToBytes(mem.capacityGiB)
    const node = before + added.length
    added.push({
      node,
      component: ini.component,
      kind: 'gpu-private',
      capacityBytes,
      capacityFrames: Math.floor(capacityBytes / m.pageBytes),
      topTier: false,
      tierOrdinal: ordinal,
      tier: DEVICE_PRIVATE_TIER,
      deviceReadNs: mem.readLatencyNs,
      deviceWriteNs: mem.writeLatencyNs,
      peakReadBytesPerS: mem.readBandwidthGBps * 1e9,
      peakWriteBytesPerS: mem.writeBandwidthGBps * 1e9,
      curve: latencyCurveOf(mem),
      watermarks: { minBytes: 0, lowBytes: 0, highBytes: 0, promoBytes: 0 },
      demotionTargets: [],
      demotionFallback: [],
      cpuNode: ini.homeNode,
      fallbackOrder: [],
    })
    owner.push(k)
    // The GPU's own memory: GPU counters call every other node remote.
    ini.node = node
  }
  if (added.length === 0) return
  const N = before + added.length
  const paths: Array<SimPath | null> = new Array(m.initiators.length * N).fill(null)
  for (let k = 0; k < m.initiators.length; k++)
    for (let n = 0; n < before; n++) paths[k * N + n] = m.paths[k * before + n]
  added.forEach((nd, i) => {
    paths[owner[i] * N + nd.node] = {
      readNs: nd.deviceReadNs,
      writeNs: nd.deviceWriteNs,
      links: new Int32Array(0),
      writeDir: new Uint8Array(0),
    }
  })
  m.nodes.push(...added)
  m.paths = paths
}
