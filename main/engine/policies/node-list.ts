import type { PolicyContext } from './api'

/** The memory nodes a placement policy may use: the knob's list, or every node with memory. */
export function memoryNodes(ctx: PolicyContext, wanted: number[]): number[] {
  const all = ctx.analysis.nodes
    .filter((n) => n.hasMemory && n.capacityBytes > 0)
    .map((n) => n.node)
  if (wanted.length === 0) return all
  for (const n of wanted)
    if (!all.includes(n))
      throw new Error(`node ${n} has no memory in this topology; use some of ${all.join(', ')}`)
  return [...new Set(wanted)]
}
