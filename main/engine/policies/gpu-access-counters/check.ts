import type { PolicyCheckInput } from '../api'
import type { GpuAccessCounterKnobs } from './knobs'

/**
 * Whether a GPU's memory takes counter-driven migrations: UVM enables them by default only on
 * ATS systems [UVM-AC], which a topology says with `coherent: true` (HBM as a CPU-less NUMA node
 * over NVLink-C2C, as on Grace Hopper [GH]); 'on' forces them into device-private memory too.
 */
export function gpuMigrates(coherent: boolean, migration: GpuAccessCounterKnobs['migration']) {
  return migration === 'on' || (migration === 'auto' && coherent)
}

/**
 * Refuses, before anything runs, a machine or workload where the policy could do nothing: no GPU,
 * no process on a GPU, a GPU without memory, or (with migration 'auto') only GPUs without ATS,
 * where UVM never migrates on access counters. Each message names the field and the fix.
 */
export function checkGpuMachine(k: GpuAccessCounterKnobs, { experiment }: PolicyCheckInput): void {
  const topo = experiment.topology
  const gpus = topo.components.map((c, index) => ({ c, index })).filter((x) => x.c.kind === 'gpu')
  if (gpus.length === 0)
    throw new Error(
      `topology "${topo.name}" has no GPU (no component of kind "gpu"); add one (the grace-hopper preset has a coherent Hopper GPU) or use a CPU tiering policy such as numa-balancing-tiering`,
    )
  const used = gpus.filter((g) => experiment.workload.processes.some((p) => p.initiator === g.c.id))
  if (used.length === 0)
    throw new Error(
      `workload "${experiment.workload.name}" has no process on a GPU, so no access counter ever counts; set a process's initiator to ${gpus.map((g) => `"${g.c.id}"`).join(' or ')}`,
    )
  if (k.migration === 'off') return
  for (const { c, index } of used) {
    if (c.kind !== 'gpu') continue
    if (c.memory.capacityGiB <= 0)
      throw new Error(
        `GPU "${c.id}" has no memory to migrate into (topology "${topo.name}" components[${index}].memory.capacityGiB is 0); give it its HBM capacity, or set the knob migration to "off" to only count`,
      )
  }
  if (!used.some(({ c }) => c.kind === 'gpu' && gpuMigrates(c.coherent, k.migration))) {
    const g = used[0]
    throw new Error(
      `GPU "${g.c.id}" has no ATS (topology "${topo.name}" components[${g.index}].coherent is false), and NVIDIA's UVM migrates on access counters only where ATS exists; set coherent to true for an ATS machine such as Grace Hopper, or the knob migration to "on" (migrate into device-private memory anyway) or "off" (only count)`,
    )
  }
}
