import type { SimCore } from './core'

/**
 * The one path CPU time of mechanisms takes: every telemetry source, migration, kernel thread and
 * policy charge goes through here, so the books (per process, per kernel thread node, per
 * source) cannot disagree. A process's charge is thread time it owes (the performance model takes
 * it from the process's next epochs); a kernel thread's runs on the socket of the node it works
 * for and competes with that socket's processes.
 */
export const CPU_SOURCES = [
  'hintFaults',
  'samples',
  'accessedBits',
  'cxlMonitor',
  'gpuCounters',
  'migration',
  'policyCharges',
] as const
export type CpuSource = (typeof CPU_SOURCES)[number]
/** Index of each source in the ledger's arrays (hot paths pass the number). */
export const CPU = Object.fromEntries(CPU_SOURCES.map((s, i) => [s, i])) as Record<
  CpuSource,
  number
>

export class CpuLedger {
  /** CPU seconds per source over the run. */
  readonly bySourceS = new Float64Array(CPU_SOURCES.length)
  /** Kernel-thread CPU seconds per socket node over the run. */
  readonly kernelTotalS: Float64Array

  constructor(private readonly core: SimCore) {
    this.kernelTotalS = new Float64Array(core.N)
  }

  /** Thread time of process p (its faulting thread, scanner work or sampling handler). */
  toProcess(p: number, seconds: number, source: number): void {
    const c = this.core
    c.procDebtS[p] += seconds
    c.counters.policyCpuS += seconds
    this.bySourceS[source] += seconds
  }

  /** A kernel thread working for `node` (it runs on the node's nearest socket). */
  toKernel(node: number, seconds: number, source: number): void {
    const c = this.core
    const cpuNode = c.m.nodes[node].cpuNode
    c.kernelCpuS[cpuNode] += seconds
    c.counters.policyCpuS += seconds
    this.kernelTotalS[cpuNode] += seconds
    this.bySourceS[source] += seconds
  }
}
