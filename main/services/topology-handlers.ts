import { parseDocument, parseDocumentText } from '../../shared/formats'
import { placeImport } from '../../shared/library-import'
import type { Store } from '../store'
import type { AnalysisRunner } from './topology-analysis'
import { createLibrary } from './library'
import { cachedTopologyPresets } from './presets'
import type { ApiHandlers, ServiceEvents } from './types'

type TopologyMethod = Exclude<
  Extract<keyof ApiHandlers, `topology.${string}`>,
  'topology.importMachine'
>

/** Topology presets, analysis and the user's library of topologies. */
export function createTopologyHandlers(
  store: Store,
  resourcesDir: string,
  events: ServiceEvents,
  analysis: AnalysisRunner,
): Pick<ApiHandlers, TopologyMethod> {
  const presets = cachedTopologyPresets(resourcesDir)
  const library = createLibrary('topology', store.topologies, events)
  return {
    'topology.presets': () => presets(),

    'topology.analyze': async ({ topology }) => {
      const parsed = parseDocument('topology', topology)
      if (!parsed.ok) return { ok: false, issues: parsed.issues }
      return { ok: true, topology: parsed.value, analysis: await analysis.analyze(parsed.value) }
    },

    'topology.list': library.list,
    'topology.get': library.get,
    'topology.save': ({ id, topology }) => library.save(id, topology),
    'topology.delete': library.delete,

    'topology.import': async ({ text }) => {
      const parsed = parseDocumentText('topology', text)
      if (!parsed.ok) return { ok: false, issues: parsed.issues }
      // Importing a file twice adds nothing; a different machine with a taken name gets "name (2)".
      const repo = store.topologies
      const place = placeImport(parsed.value, repo.list(), (id) => repo.get(id)?.topology ?? null)
      if (place.kind === 'duplicate') {
        const existing = repo.get(place.id)!
        return {
          ok: true,
          saved: existing,
          note: `This topology is already in your library as "${existing.name}"; nothing was added.`,
        }
      }
      const saved = library.write(undefined, { ...parsed.value, name: place.name })
      if (place.kind === 'renamed')
        return {
          ok: true,
          saved,
          note: `A different topology is already called "${place.takenName}"; this one was saved as "${place.name}".`,
        }
      return { ok: true, saved }
    },
  }
}
