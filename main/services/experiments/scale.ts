import type { ResolvedExperiment } from '../../engine'

/** Policy knobs measured in bytes (MB, MB/s): scaled with the memory so the dynamics match. */
const BYTE_KNOB = /(MB|MBps)$/

/**
 * The experiment at `scale` of its memory: every capacity, region size, thread count and
 * byte-valued policy knob (scan window, rate limit, migration budget) multiplied by it, while
 * times, latencies, bandwidths and per-operation costs stay. A full scan pass then takes as long
 * as at full size, each page is touched as often, so warm-up is preserved, and the ratio of
 * footprint to top tier is unchanged. Used by `tierlab study --scale` and the behaviour tests.
 */
export function scaleExperiment(exp: ResolvedExperiment, scale: number): ResolvedExperiment {
  const copy = structuredClone(exp)
  if (scale === 1) return copy
  for (const c of copy.topology.components as Array<{ memory?: { capacityGiB: number } }>)
    if (c.memory) c.memory.capacityGiB *= scale
  for (const r of copy.workload.regions) r.sizeGiB *= scale
  // Fewer threads too, so each page sees the accesses per second it sees at full size: hint-fault
  // latencies, the hot threshold and kswapd's ageing depend on that rate, not on the footprint.
  for (const p of copy.workload.processes) p.threads = Math.max(1, Math.round(p.threads * scale))
  const params = copy.policy.params as Record<string, unknown>
  for (const [k, v] of Object.entries(params))
    if (BYTE_KNOB.test(k) && typeof v === 'number') params[k] = v * scale
  return copy
}
