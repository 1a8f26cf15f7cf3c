import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { ApiError, type TopologyPreset } from '../../shared/api'
import {
  parseDocumentText,
  summariseIssues,
  type Topology,
  type Workload,
} from '../../shared/formats'

type PresetDocs = { topology: Topology; workload: Workload }

/** Where the topology presets live below the resources folder; file name = preset id. */
export function topologyPresetsDir(resourcesDir: string): string {
  return join(resourcesDir, 'presets', 'topologies')
}

/**
 * Reads and validates every `<id>.json` in `dir` as a document of `kind`, sorted by id
 * ('2s-cxl' before '2s-cxl-switch'). A preset that fails validation is a packaging bug, so the
 * whole list is refused with the file and field named rather than silently shortened.
 */
export async function loadPresetDocuments<K extends keyof PresetDocs>(
  kind: K,
  dir: string,
): Promise<Array<{ id: string; doc: PresetDocs[K] }>> {
  let ids: string[]
  try {
    ids = (await readdir(dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => basename(f, '.json'))
      .sort()
  } catch (err) {
    throw new ApiError(
      'unavailable',
      `cannot read the ${kind} presets in ${dir} (${(err as Error).message}); reinstall Tierlab or pass the right resources folder`,
    )
  }
  const out: Array<{ id: string; doc: PresetDocs[K] }> = []
  for (const id of ids) {
    const path = join(dir, `${id}.json`)
    const parsed = parseDocumentText(kind, await readFile(path, 'utf8'))
    if (!parsed.ok) throw new ApiError('unavailable', summariseIssues(path, parsed.issues))
    out.push({ id, doc: parsed.value as PresetDocs[K] })
  }
  return out
}

export async function loadTopologyPresets(resourcesDir: string): Promise<TopologyPreset[]> {
  const docs = await loadPresetDocuments('topology', topologyPresetsDir(resourcesDir))
  return docs.map(({ id, doc }) => ({
    id,
    name: doc.name,
    description: doc.description ?? '',
    source: doc.source ?? '',
    topology: doc,
  }))
}

/** Loads the presets on first use and keeps them; a failed load is retried on the next call. */
export function cachedTopologyPresets(resourcesDir: string): () => Promise<TopologyPreset[]> {
  let pending: Promise<TopologyPreset[]> | null = null
  return () => {
    pending ??= loadTopologyPresets(resourcesDir).catch((err: unknown) => {
      pending = null
      throw err
    })
    return pending
  }
}
