import type { HintFault } from '../api'
import type { FaultStats } from './fault-stats'

/**
 * The normal-mode half of `should_numa_migrate_memory` [FAIR] (the page goes to the faulting
 * CPU's node, mpol_misplaced's MPOL_F_MORON):
 * 1. Early in a task's life (no preferred node yet, or numa_scan_seq ≤ 4), a first or private
 *    fault migrates at once.
 * 2. Two-stage filter: the page moves only when the previous fault on it (its last_cpupid) came
 *    from the destination node too, so a page migrates with probability ~P² of a node's share of
 *    its accesses and a page touched from both nodes mostly stays.
 * 3. A private fault (same task as last time) then migrates.
 * 4. A shared fault migrates when the destination's CPU faults exceed the source's 3×
 *    (ACTIVE_NODE_FRACTION), or with a 3/4 hysteresis on CPU faults over memory faults.
 *
 * "Task" is the process here (the engine's cpupid names the process, and one process's threads
 * form one numa_group, see fault-stats.ts), so a fault is shared when another process faulted last.
 */
export const EARLY_SCAN_SEQ = 4
export const ACTIVE_NODE_FRACTION = 3

export function shouldMigrateNormal(fault: HintFault, src: number, stats: FaultStats): boolean {
  const p = fault.process
  const dst = fault.cpuNode
  if ((stats.preferred[p] < 0 || stats.scanSeq[p] <= EARLY_SCAN_SEQ) && fault.private) return true
  if (fault.lastCpuNode >= 0 && fault.lastCpuNode !== dst) return false
  if (fault.private) return true
  const cpuDst = stats.cpuFaults(p, dst)
  const cpuSrc = stats.cpuFaults(p, src)
  if (cpuDst > cpuSrc * ACTIVE_NODE_FRACTION) return true
  return cpuDst * stats.memFaults(p, src) * 3 > cpuSrc * stats.memFaults(p, dst) * 4
}
