import { ApiError, type ApiEvent } from '../../shared/api'
import { parseDocument, summariseIssues, type Topology, type Workload } from '../../shared/formats'
import type { ServiceEvents } from './types'

type Docs = { topology: Topology; workload: Workload }
type Kind = keyof Docs

/** The part of a store library repository (main/store/library) the services use. */
interface LibraryRepo<Doc, Saved, Summary> {
  list(): Summary[]
  get(id: number): Saved | null
  insert(doc: Doc): Saved
  update(id: number, doc: Doc): Saved
  delete(id: number): boolean
}

const CHANGED: Record<Kind, Extract<ApiEvent, { type: 'changed' }>['what']> = {
  topology: 'topologies',
  workload: 'workloads',
}

/**
 * Saved documents of one kind: validated here before anything reaches the store, and every write
 * announced with a `changed` event so open windows reload.
 */
export function createLibrary<K extends Kind, Saved, Summary>(
  kind: K,
  repo: LibraryRepo<Docs[K], Saved, Summary>,
  events: ServiceEvents,
) {
  const changed = () => events.emit({ type: 'changed', what: CHANGED[kind] })
  const write = (id: number | undefined, doc: Docs[K]): Saved => {
    const saved = id === undefined ? repo.insert(doc) : repo.update(id, doc)
    changed()
    return saved
  }
  return {
    write,
    list: async (): Promise<Summary[]> => repo.list(),
    get: async ({ id }: { id: number }): Promise<Saved> => {
      const saved = repo.get(id)
      if (!saved) {
        throw new ApiError(
          'not-found',
          `There is no saved ${kind} with id ${id}; list them to see which exist.`,
        )
      }
      return saved
    },
    /** Issue paths stay relative to the document, as analysis and import report them. */
    save: async (id: number | undefined, doc: unknown): Promise<Saved> => {
      const parsed = parseDocument(kind, doc)
      if (!parsed.ok)
        throw new ApiError('invalid-input', summariseIssues(kind, parsed.issues), parsed.issues)
      return write(id, parsed.value as Docs[K])
    },
    delete: async ({ id }: { id: number }): Promise<{ deleted: boolean }> => {
      const deleted = repo.delete(id)
      if (deleted) changed()
      return { deleted }
    },
  }
}
