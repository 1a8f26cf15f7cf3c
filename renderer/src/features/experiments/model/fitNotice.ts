import type { Topology } from '../../../../../shared/formats/topology'
import type { Workload } from '../../../../../shared/formats/workload'

const gib = (v: number) => `${Number(v.toFixed(1))} GiB`

/**
 * When each socket's first-touched regions fit in that socket's own DRAM, local-first placement
 * keeps every page there and nothing is ever demoted: every policy gives the same result. A
 * newcomer who draws a machine with the editor's default 256 GiB per socket hits this first, so
 * say it before the run. Null when some region can spill out of DRAM, when a region is first
 * touched from something other than a socket (a GPU), or while sizes are not numbers yet.
 */
export function fitsInDramNotice(topology: Topology | null, workload: Workload): string | null {
  if (!topology || workload.regions.length === 0) return null
  const dramGiBBySocket = new Map<string, number>()
  for (const c of topology.components)
    if (c.kind === 'socket') dramGiBBySocket.set(c.id, c.memory.capacityGiB)
  const initiatorOf = new Map(workload.processes.map((p) => [p.id, p.initiator]))
  const usedGiBBySocket = new Map<string, number>()
  for (const r of workload.regions) {
    if (typeof r.sizeGiB !== 'number' || !Number.isFinite(r.sizeGiB)) return null
    const socket = initiatorOf.get(r.firstTouch)
    if (socket === undefined || !dramGiBBySocket.has(socket)) return null
    usedGiBBySocket.set(socket, (usedGiBBySocket.get(socket) ?? 0) + r.sizeGiB)
  }
  for (const [socket, usedGiB] of usedGiBBySocket)
    if (usedGiB > (dramGiBBySocket.get(socket) ?? 0)) return null
  const workloadGiB = [...usedGiBBySocket.values()].reduce((a, b) => a + b, 0)
  const dramGiB = [...dramGiBBySocket.values()].reduce((a, b) => a + b, 0)
  return (
    `The workload's ${gib(workloadGiB)} fits in the sockets' ${gib(dramGiB)} of DRAM, so every ` +
    'page stays in the fastest tier and all policies will score the same. To see tiering, give ' +
    'the sockets less DRAM than their processes use, or make the regions bigger.'
  )
}
