import type Database from 'better-sqlite3'
import type { SavedTopology, SavedTopologySummary } from '../../../shared/api/contract'
import type { Topology } from '../../../shared/formats/topology'
import { createLibraryRepository, type LibraryRepository } from './library-repository'

export type TopologyRepository = LibraryRepository<Topology, SavedTopology, SavedTopologySummary>

/** The stored JSON is a Topology validated by the service that saved it. */
export function createTopologyRepository(
  db: Database.Database,
  now: () => string,
): TopologyRepository {
  return createLibraryRepository<Topology, SavedTopology, SavedTopologySummary>(
    db,
    {
      table: 'topologies',
      docColumn: 'topology_json',
      noun: 'topology',
      counts: { components: '$.components', links: '$.links' },
      toSaved: (base, json) => ({ ...base, topology: JSON.parse(json) as Topology }),
      toSummary: (base, counts) => ({
        ...base,
        components: counts.components,
        links: counts.links,
      }),
    },
    now,
  )
}
