import { join } from 'node:path'
import type { Workload } from '../../../shared/formats'
import { loadPresetDocuments } from '../presets'

/** A workload shipped in resources/presets/workloads; the file name is its id. */
export interface WorkloadPresetEntry {
  id: string
  name: string
  description: string
  workload: Workload
}

export function workloadPresetsDir(resourcesDir: string): string {
  return join(resourcesDir, 'presets', 'workloads')
}

/**
 * Reads and validates every workload preset, sorted by id. A preset that fails validation is a
 * packaging bug, so the list is refused with the file and field named, as for topology presets.
 */
export async function loadWorkloadPresets(resourcesDir: string): Promise<WorkloadPresetEntry[]> {
  const docs = await loadPresetDocuments('workload', workloadPresetsDir(resourcesDir))
  return docs.map(({ id, doc }) => ({
    id,
    name: doc.name,
    description: doc.description ?? '',
    workload: doc,
  }))
}
