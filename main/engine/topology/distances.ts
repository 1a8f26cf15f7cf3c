import type { AnalysedPath } from '../../../shared/analysis'
import type { NumaNode } from './numbering'

export const LOCAL_DISTANCE = 10
/** SLIT's "unreachable"; also what firmware reports between CPU-less nodes ([CXL-SLIT]). */
export const CPULESS_DISTANCE = 255

/**
 * A SLIT-like distance table (firmware's, so the kernel's node_distance()):
 * - 10 on the diagonal;
 * - from a CPU node i to node j: round(10 × idle read latency(i's CPUs → j) / idle read latency(i's
 *   CPUs → i)), half up, clamped to [11, 254] so it stays remote and below "unreachable"; 255 when
 *   i's CPUs cannot reach j;
 * - from a CPU-less node to a CPU node: the symmetric value (SLIT tables are symmetric in practice);
 * - between two CPU-less nodes: 255, as firmware reports it (tiering-facts.md §1 [CXL-SLIT]).
 * "i's CPUs" are the socket owning node i; latencies are the exact path latencies, not rounded.
 */
export function distanceMatrix(nodes: NumaNode[], paths: AnalysedPath[]): number[][] {
  const latency = new Map(paths.map((p) => [`${p.initiator}→${p.node}`, p.readLatencyNs]))
  const fromCpuNode = (i: NumaNode, j: NumaNode): number => {
    const local = latency.get(`${i.component.id}→${i.node}`) as number
    const remote = latency.get(`${i.component.id}→${j.node}`)
    if (remote === undefined) return CPULESS_DISTANCE
    return Math.min(254, Math.max(11, Math.round((LOCAL_DISTANCE * remote) / local)))
  }
  return nodes.map((i) =>
    nodes.map((j) => {
      if (i.node === j.node) return LOCAL_DISTANCE
      if (i.hasCpu) return fromCpuNode(i, j)
      if (j.hasCpu) return fromCpuNode(j, i)
      return CPULESS_DISTANCE
    }),
  )
}
