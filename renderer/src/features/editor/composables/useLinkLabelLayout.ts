import { useVueFlow } from '@vue-flow/core'
import {
  computed,
  inject,
  onUnmounted,
  provide,
  reactive,
  watchEffect,
  type ComputedRef,
  type InjectionKey,
} from 'vue'
import { placeLinkLabels, pointOnLink, type LabelRequest, type Point } from '../model/linkLabels'

interface LinkLabelLayout {
  set(request: LabelRequest): void
  remove(id: string): void
  placement(id: string): Point | undefined
}

const KEY: InjectionKey<LinkLabelLayout> = Symbol('link-label-layout')

/**
 * The canvas side: collects every link edge's label request and places them all together
 * (model/linkLabels.ts), with the component boxes as obstacles.
 */
export function provideLinkLabelLayout(): void {
  const flow = useVueFlow()
  const requests = reactive(new Map<string, LabelRequest>())
  const obstacles = computed(() =>
    flow.getNodes.value.map((n) => ({
      x: n.computedPosition.x,
      y: n.computedPosition.y,
      width: n.dimensions.width,
      height: n.dimensions.height,
    })),
  )
  // Link order (link:0, link:1, …), so the same drawing always gets the same placement.
  const placements = computed(() =>
    placeLinkLabels(
      [...requests.values()].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true })),
      obstacles.value,
    ),
  )
  provide(KEY, {
    set: (request) => requests.set(request.id, request),
    remove: (id) => requests.delete(id),
    placement: (id) => placements.value.get(id),
  })
}

/** The edge side: where this link's label goes (its midpoint when no canvas provides a layout). */
export function useLinkLabelPosition(request: () => LabelRequest): ComputedRef<Point> {
  const layout = inject(KEY, null)
  let lastId: string | null = null
  watchEffect(() => {
    const r = request()
    if (lastId !== null && lastId !== r.id) layout?.remove(lastId)
    lastId = r.id
    layout?.set(r)
  })
  onUnmounted(() => {
    if (lastId !== null) layout?.remove(lastId)
  })
  return computed(() => {
    const r = request()
    return layout?.placement(r.id) ?? pointOnLink(r.curve, 0.5)
  })
}
