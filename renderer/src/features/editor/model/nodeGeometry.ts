import type { DraftKind } from './editorDocument'

/** Drawn size of each node kind in flow pixels; layout and edge routing assume these. */
export const NODE_SIZE: Record<DraftKind, { width: number; height: number }> = {
  socket: { width: 210, height: 150 },
  'cxl-memory': { width: 200, height: 96 },
  'cxl-switch': { width: 64, height: 64 },
  gpu: { width: 200, height: 132 },
}

export type Side = 'top' | 'right' | 'bottom' | 'left'

/** Which side of `from` faces `to`, comparing the centres of the two boxes. */
export function facingSide(
  from: { x: number; y: number; kind: DraftKind },
  to: { x: number; y: number; kind: DraftKind },
): Side {
  const a = NODE_SIZE[from.kind]
  const b = NODE_SIZE[to.kind]
  const dx = to.x + b.width / 2 - (from.x + a.width / 2)
  const dy = to.y + b.height / 2 - (from.y + a.height / 2)
  if (Math.abs(dx) > Math.abs(dy)) return dx > 0 ? 'right' : 'left'
  return dy > 0 ? 'bottom' : 'top'
}
