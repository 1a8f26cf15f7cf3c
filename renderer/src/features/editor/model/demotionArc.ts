/** How far a demotion arc bows out of the straight line, in flow pixels. */
export const DEMOTION_ARC_BOW = 45

/**
 * SVG path of a quadratic arc from `a` to `b` whose control point sits DEMOTION_ARC_BOW pixels to
 * the right of the a→b direction, so an arc and a straight link between the same points part.
 */
export function demotionArcPath(
  a: { x: number; y: number },
  b: { x: number; y: number },
  bow = DEMOTION_ARC_BOW,
): string {
  const dx = b.x - a.x
  const dy = b.y - a.y
  const length = Math.hypot(dx, dy) || 1
  // Unit normal, turned clockwise from the direction of travel (screen y points down).
  const nx = -dy / length
  const ny = dx / length
  const cx = (a.x + b.x) / 2 + nx * bow
  const cy = (a.y + b.y) / 2 + ny * bow
  return `M ${a.x},${a.y} Q ${cx},${cy} ${b.x},${b.y}`
}
