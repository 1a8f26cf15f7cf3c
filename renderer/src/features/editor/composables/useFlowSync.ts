import { useVueFlow } from '@vue-flow/core'
import { computed, nextTick, watch } from 'vue'
import type { EditorStore } from '../editorStore'
import {
  linkIndexOfEdge,
  positionsFromNodes,
  toFlowEdges,
  toFlowNodes,
} from '../model/flowConversion'

/**
 * Keeps Vue Flow showing the store's document: nodes and edges are derived from it, and what
 * the user does on the canvas (drag, connect, select) goes back to the store as edits. Vue Flow
 * moves nodes itself while dragging; the store learns the new positions once, on drop.
 */
export function useFlowSync(store: EditorStore) {
  const flow = useVueFlow()

  const nodes = computed(() =>
    toFlowNodes(store.document, store.analysis, store.selection, store.issueCounts),
  )
  const edges = computed(() => toFlowEdges(store.document, store.analysis, store.selection))

  watch(nodes, (next) => flow.setNodes(next), { immediate: true })
  // Edges after nodes: Vue Flow drops edges whose ends it does not know yet.
  watch(edges, (next) => nextTick(() => flow.setEdges(next)), { immediate: true })

  flow.onNodeDragStop(({ nodes: dragged }) => store.moveComponents(positionsFromNodes(dragged)))
  flow.onConnect((c) => store.requestLink(c.source, c.target))

  watch(
    () => [flow.getSelectedNodes.value.map((n) => n.id), flow.getSelectedEdges.value] as const,
    ([componentIds, selectedEdges]) => {
      const links = selectedEdges
        .map((e) => linkIndexOfEdge(e.id))
        .filter((i): i is number => i !== null)
      store.setSelection({ components: componentIds, links })
    },
  )

  const fitView = () => flow.fitView({ padding: 0.2, maxZoom: 1.2 })
  // A loaded document is fitted once Vue Flow has measured its nodes (fitting earlier uses
  // zero sizes); an empty or already measured document is fitted on the next tick.
  let fitPending = false
  watch(
    () => store.loadCount,
    () => {
      fitPending = true
      nextTick(() => {
        if (fitPending && flow.areNodesInitialized.value) {
          fitPending = false
          void fitView()
        }
      })
    },
  )
  flow.onNodesInitialized(() => {
    if (!fitPending) return
    fitPending = false
    void fitView()
  })

  return { nodes, edges, fitView }
}
