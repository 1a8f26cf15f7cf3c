import type { Topology, Workload } from '../../../shared/formats'
import { loadTopologyPresets } from '../presets'
import { loadWorkloadPresets, type WorkloadPresetEntry } from './workload-presets'

/** The documents an experiment may name instead of inlining them: `{ "preset": id }`. */
export interface PresetCatalog {
  topologies: ReadonlyMap<string, Topology>
  workloads: ReadonlyMap<string, Workload>
}

export interface PresetSource {
  /** Loads the presets on first use and keeps them; a failed load is retried next time. */
  catalog(): Promise<PresetCatalog>
  workloadPresets(): Promise<WorkloadPresetEntry[]>
}

export function createPresetSource(resourcesDir: string): PresetSource {
  let workloads: Promise<WorkloadPresetEntry[]> | null = null
  let catalog: Promise<PresetCatalog> | null = null
  const workloadPresets = () => {
    workloads ??= loadWorkloadPresets(resourcesDir).catch((err: unknown) => {
      workloads = null
      throw err
    })
    return workloads
  }
  return {
    workloadPresets,
    catalog() {
      catalog ??= Promise.all([loadTopologyPresets(resourcesDir), workloadPresets()])
        .then(([t, w]) => ({
          topologies: new Map(t.map((p) => [p.id, p.topology])),
          workloads: new Map(w.map((p) => [p.id, p.workload])),
        }))
        .catch((err: unknown) => {
          catalog = null
          throw err
        })
      return catalog
    },
  }
}
