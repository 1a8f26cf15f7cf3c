import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { ApiError } from '../../../shared/api'
import { parseDocumentText, summariseIssues, type Workload } from '../../../shared/formats'

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
  const dir = workloadPresetsDir(resourcesDir)
  let ids: string[]
  try {
    ids = (await readdir(dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => basename(f, '.json'))
      .sort()
  } catch (err) {
    throw new ApiError(
      'unavailable',
      `cannot read the workload presets in ${dir} (${(err as Error).message}); reinstall Tierlab or pass the right resources folder`,
    )
  }
  const presets: WorkloadPresetEntry[] = []
  for (const id of ids) {
    const path = join(dir, `${id}.json`)
    const parsed = parseDocumentText('workload', await readFile(path, 'utf8'))
    if (!parsed.ok) throw new ApiError('unavailable', summariseIssues(path, parsed.issues))
    const workload = parsed.value
    presets.push({ id, name: workload.name, description: workload.description ?? '', workload })
  }
  return presets
}
