import type { ScanFaultStats } from '../../kernel'

/**
 * Per-task NUMA fault statistics, as task_numa_fault keeps them and task_numa_placement folds them
 * in at each new scan sequence [FAIR]: faults by the node the page sits on after the fault
 * (NUMA_MEM) and by the faulting CPU's node (NUMA_CPU), gathered in buffers and added to the
 * totals after halving those (`numa_faults[mem] += buffer - numa_faults[mem] / 2`); the preferred
 * node is the node with the most memory faults, or the nearest node with CPUs when that one has
 * none ("Cannot migrate task to CPU-less node", numa_nearest_node(max_nid, N_CPU)).
 *
 * One record per process: the engine spreads a process's accesses evenly over its threads, so its
 * threads fault on the same pages with the same odds, and the kernel groups threads that share
 * pages into one numa_group whose faults (group_faults) then drive each member's placement. The
 * locality counts since the last pass (numa_faults_locality: remote, local, failed migrations)
 * and the private/shared split feed update_task_scan_period.
 */
export class FaultStats {
  /** Decayed memory-node faults, [process * N + node]. */
  private readonly mem: Float64Array
  /** Decayed CPU-node faults, [process * N + node] (group_faults_cpu). */
  private readonly cpu: Float64Array
  private readonly memBuf: Float64Array
  private readonly cpuBuf: Float64Array
  /** numa_preferred_nid per process; -1 is NUMA_NO_NODE. */
  readonly preferred: Int32Array
  /** numa_scan_seq: passes folded in so far. */
  readonly scanSeq: Int32Array
  /** This pass's faults per process, for the scan period: local, remote, private, shared, failed. */
  private readonly pass: Float64Array
  /** Preferred-node changes since the last `takeChanges`. */
  private changes = 0

  constructor(
    private readonly P: number,
    private readonly N: number,
    /** The nearest node with CPUs of each node (itself for a socket's node). */
    private readonly cpuNodeOf: (node: number) => number,
  ) {
    this.mem = new Float64Array(P * N)
    this.cpu = new Float64Array(P * N)
    this.memBuf = new Float64Array(P * N)
    this.cpuBuf = new Float64Array(P * N)
    this.preferred = new Int32Array(P).fill(-1)
    this.scanSeq = new Int32Array(P)
    this.pass = new Float64Array(P * 5)
  }

  /** One counted fault (task_numa_fault after its early returns). */
  record(
    p: number,
    memNode: number,
    cpuNode: number,
    priv: boolean,
    local: boolean,
    failed: boolean,
  ): void {
    this.memBuf[p * this.N + memNode]++
    this.cpuBuf[p * this.N + cpuNode]++
    const o = p * 5
    this.pass[o + (local ? 0 : 1)]++
    this.pass[o + (priv ? 2 : 3)]++
    if (failed) this.pass[o + 4]++
  }

  /** Faults counted this pass (task_numa_placement runs only from a counted fault). */
  passFaults(p: number): number {
    return this.pass[p * 5] + this.pass[p * 5 + 1]
  }

  /** The pass's counts for update_task_scan_period; clears them. */
  takePassStats(p: number): ScanFaultStats {
    const o = p * 5
    const s = {
      localFaults: this.pass[o],
      remoteFaults: this.pass[o + 1],
      privateFaults: this.pass[o + 2],
      sharedFaults: this.pass[o + 3],
      failedMigrations: this.pass[o + 4],
    }
    this.pass.fill(0, o, o + 5)
    return s
  }

  /** task_numa_placement: decay, fold the buffers in, pick the preferred node. */
  place(p: number): void {
    const N = this.N
    let best = -1
    let bestFaults = 0
    for (let n = 0; n < N; n++) {
      const i = p * N + n
      this.mem[i] += this.memBuf[i] - this.mem[i] / 2
      this.cpu[i] += this.cpuBuf[i] - this.cpu[i] / 2
      this.memBuf[i] = 0
      this.cpuBuf[i] = 0
      if (this.mem[i] > bestFaults) {
        bestFaults = this.mem[i]
        best = n
      }
    }
    this.scanSeq[p]++
    if (best < 0) return
    const nid = this.cpuNodeOf(best)
    if (nid !== this.preferred[p]) {
      this.preferred[p] = nid
      this.changes++
    }
  }

  memFaults(p: number, node: number): number {
    return this.mem[p * this.N + node]
  }

  cpuFaults(p: number, node: number): number {
    return this.cpu[p * this.N + node]
  }

  /**
   * task_weight / group_weight: the share of the process's memory faults on `node`, in 1/1000
   * (the kernel's scale), counting the nodes without CPUs towards their nearest CPU node, as the
   * preferred node does.
   */
  weight(p: number, node: number): number {
    let total = 0
    let on = 0
    for (let n = 0; n < this.N; n++) {
      const f = this.mem[p * this.N + n]
      total += f
      if (this.cpuNodeOf(n) === node) on += f
    }
    return total > 0 ? Math.floor((1000 * on) / total) : 0
  }

  /** Share of the process's decayed memory faults on its preferred node (0 without one). */
  preferredShare(p: number): number {
    const pref = this.preferred[p]
    return pref < 0 ? 0 : this.weight(p, pref) / 1000
  }

  takeChanges(): number {
    const c = this.changes
    this.changes = 0
    return c
  }
}
