import { computed, type ComputedRef } from 'vue'
import { useRoute, type RouteLocationRaw } from 'vue-router'
import type { TopologyRef } from '../topologiesStore'

/** Reads the selected topology from route params (`/topologies/preset/<id>`, `/topologies/saved/<n>`). */
export function refFromParams(
  params: Record<string, string | string[] | undefined>,
): TopologyRef | null {
  const kind = params.kind
  const id = params.id
  if (typeof id !== 'string' || id === '') return null
  if (kind === 'preset') return { kind, id }
  if (kind === 'saved' && /^[1-9]\d*$/.test(id)) return { kind, id: Number(id) }
  return null
}

/** The route that shows a topology, so a selection survives reloads and can be linked. */
export function topologyLocation(which: TopologyRef | null): RouteLocationRaw {
  if (!which) return { name: 'topologies', params: {} }
  return { name: 'topologies', params: { kind: which.kind, id: String(which.id) } }
}

export function useSelectedTopologyRef(): ComputedRef<TopologyRef | null> {
  const route = useRoute()
  return computed(() => refFromParams(route.params))
}
