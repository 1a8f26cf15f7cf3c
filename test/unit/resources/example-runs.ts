import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BUILTIN_POLICIES, runSimulation, type ResolvedExperiment } from '../../../main/engine'
import type { RunSummaryMetrics } from '../../../shared/runs'
import { createPresetSource, type PresetCatalog } from '../../../main/services/experiments/catalog'
import { resolveExperiment } from '../../../main/services/experiments/resolve-experiment'
import { scaleExperiment } from '../../../main/services/experiments/scale'

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

export { scaleExperiment }

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
