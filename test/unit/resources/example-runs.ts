import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BUILTIN_POLICIES, runSimulation, type ResolvedExperiment } from '../../../main/engine'
import type { RunSummaryMetrics } from '../../../shared/runs'
import { createPresetSource, type PresetCatalog } from '../../../main/services/experiments/catalog'
import { resolveExperiment } from '../../../main/services/experiments/resolve-experiment'

export const RESOURCES = join(import.meta.dirname, '../../../resources')
export const EXAMPLES_DIR = join(RESOURCES, 'examples')

/** The example files shipped in resources/examples, by file name. */
export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
}

export function readExample(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Record<string, unknown>
}

let catalog: Promise<PresetCatalog> | null = null
export function presetCatalog(): Promise<PresetCatalog> {
  catalog ??= createPresetSource(RESOURCES).catalog()
  return catalog
}

/** Policy knobs measured in bytes (MB, MB/s): scaled with the memory so the dynamics match. */
const BYTE_KNOB = /(MB|MBps)$/

/**
 * The experiment at `scale` of its memory: every capacity, region size, thread count and
 * byte-valued policy knob (scan window, rate limit, migration budget) multiplied by it, while
 * times, latencies, bandwidths and per-operation costs stay. A full scan pass then takes as long
 * as at full size, each page is touched as often, so warm-up is preserved, and the ratio of
 * footprint to top tier is unchanged.
 */
export function scaleExperiment(exp: ResolvedExperiment, scale: number): ResolvedExperiment {
  const copy = structuredClone(exp)
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

/** Resolves an example (presets inlined), optionally with another policy or changed knobs. */
export async function resolveExample(
  raw: Record<string, unknown>,
  policy?: { id: string; params?: Record<string, unknown> },
): Promise<ResolvedExperiment> {
  const doc = policy ? { ...raw, policy } : raw
  return resolveExperiment(doc, await presetCatalog())
}

/** Runs a resolved experiment at `scale` and returns its summary. */
export function runScaled(exp: ResolvedExperiment, scale: number): RunSummaryMetrics {
  return runSimulation(scaleExperiment(exp, scale), BUILTIN_POLICIES).summary
}
