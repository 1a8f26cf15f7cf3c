/**
 * Where each link's label sits on the canvas. Vue Flow puts every edge label at its curve's
 * midpoint, so links meeting at one switch or socket printed their labels over each other. Each
 * label here may slide along its own curve; labels are placed in a fixed order, each at the first
 * spot that overlaps no label placed before it and the fewest component boxes.
 */

export type Side = 'left' | 'right' | 'top' | 'bottom'

export interface Point {
  x: number
  y: number
}

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** A link's curve as Vue Flow draws it (getBezierPath's inputs, flow pixels). */
export interface CurveEnds {
  sourceX: number
  sourceY: number
  sourcePosition: Side
  targetX: number
  targetY: number
  targetPosition: Side
}

/** Vue Flow's default curvature (getBezierPath in @vue-flow/core 1.x). */
const CURVATURE = 0.25

// calculateControlOffset and getControlWithCurvature of @vue-flow/core 1.x, so the points below
// lie on the curve Vue Flow draws.
function controlOffset(distance: number): number {
  return distance >= 0 ? 0.5 * distance : CURVATURE * 25 * Math.sqrt(-distance)
}

function control(pos: Side, x1: number, y1: number, x2: number, y2: number): Point {
  switch (pos) {
    case 'left':
      return { x: x1 - controlOffset(x1 - x2), y: y1 }
    case 'right':
      return { x: x1 + controlOffset(x2 - x1), y: y1 }
    case 'top':
      return { x: x1, y: y1 - controlOffset(y1 - y2) }
    case 'bottom':
      return { x: x1, y: y1 + controlOffset(y2 - y1) }
  }
}

/** The point at parameter t (0 = source, 1 = target) of the cubic curve Vue Flow draws. */
export function pointOnLink(c: CurveEnds, t: number): Point {
  const p0 = { x: c.sourceX, y: c.sourceY }
  const p1 = control(c.sourcePosition, c.sourceX, c.sourceY, c.targetX, c.targetY)
  const p2 = control(c.targetPosition, c.targetX, c.targetY, c.sourceX, c.sourceY)
  const p3 = { x: c.targetX, y: c.targetY }
  const u = 1 - t
  const a = u * u * u
  const b = 3 * u * u * t
  const d = 3 * u * t * t
  const e = t * t * t
  return {
    x: a * p0.x + b * p1.x + d * p2.x + e * p3.x,
    y: a * p0.y + b * p1.y + d * p2.y + e * p3.y,
  }
}

/** Positions along the curve a label may take, most preferred first (the middle). */
export const LABEL_STOPS = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78] as const

/** Font 10 px (flowConversion's labelStyle): about 5.6 px per character, plus the padding. */
export function labelSize(text: string): { width: number; height: number } {
  return { width: Math.ceil(text.length * 5.6) + 8, height: 16 }
}

function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

export interface LabelRequest {
  id: string
  curve: CurveEnds
  text: string
}

/**
 * A centre point per label. Overlapping another label costs far more than overlapping a
 * component box (a box hides only the part of the label behind it; two labels garble both).
 */
export function placeLinkLabels(
  requests: ReadonlyArray<LabelRequest>,
  obstacles: ReadonlyArray<Box> = [],
): Map<string, Point> {
  const placed: Box[] = []
  const out = new Map<string, Point>()
  for (const r of requests) {
    const { width, height } = labelSize(r.text)
    let best: { centre: Point; box: Box; cost: number } | null = null
    for (const t of LABEL_STOPS) {
      const centre = pointOnLink(r.curve, t)
      const box = { x: centre.x - width / 2, y: centre.y - height / 2, width, height }
      let cost = 0
      for (const p of placed) cost += 100 * overlapArea(box, p)
      for (const o of obstacles) cost += overlapArea(box, o)
      if (!best || cost < best.cost) best = { centre, box, cost }
      if (cost === 0) break
    }
    if (best) {
      placed.push(best.box)
      out.set(r.id, best.centre)
    }
  }
  return out
}
