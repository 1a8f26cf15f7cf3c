import { getBezierPath, Position } from '@vue-flow/core'
import { describe, expect, it } from 'vitest'
import {
  labelSize,
  placeLinkLabels,
  pointOnLink,
  type Box,
  type CurveEnds,
} from '../../../../renderer/src/features/editor/model/linkLabels'

const toVueFlow = (c: CurveEnds) => ({
  ...c,
  sourcePosition: c.sourcePosition as Position,
  targetPosition: c.targetPosition as Position,
})

function boxAt(p: { x: number; y: number }, text: string): Box {
  const { width, height } = labelSize(text)
  return { x: p.x - width / 2, y: p.y - height / 2, width, height }
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

describe('link label placement', () => {
  it("follows Vue Flow's own curve: its midpoint is getBezierPath's label point", () => {
    const curves: CurveEnds[] = [
      {
        sourceX: 0,
        sourceY: 0,
        sourcePosition: 'bottom',
        targetX: 150,
        targetY: 100,
        targetPosition: 'top',
      },
      {
        sourceX: 300,
        sourceY: 40,
        sourcePosition: 'left',
        targetX: 20,
        targetY: 90,
        targetPosition: 'right',
      },
      // Target above the source: the control offsets take the sqrt branch.
      {
        sourceX: 0,
        sourceY: 200,
        sourcePosition: 'bottom',
        targetX: 80,
        targetY: 0,
        targetPosition: 'top',
      },
    ]
    for (const c of curves) {
      const [, labelX, labelY] = getBezierPath(toVueFlow(c))
      const mid = pointOnLink(c, 0.5)
      expect(mid.x).toBeCloseTo(labelX, 6)
      expect(mid.y).toBeCloseTo(labelY, 6)
      expect(pointOnLink(c, 0)).toEqual({ x: c.sourceX, y: c.sourceY })
      expect(pointOnLink(c, 1)).toEqual({ x: c.targetX, y: c.targetY })
    }
  })

  it('keeps the labels of two links meeting at one switch apart', () => {
    // Two sockets side by side, both linked to the top of one switch below them (the pooled
    // preset): at their midpoints the two long labels overlap.
    const text = 'CXL 5 x16 · 40 ns · ≈63 GB/s'
    const left: CurveEnds = {
      sourceX: 210,
      sourceY: 300,
      sourcePosition: 'bottom',
      targetX: 370,
      targetY: 400,
      targetPosition: 'top',
    }
    const right: CurveEnds = {
      sourceX: 530,
      sourceY: 300,
      sourcePosition: 'bottom',
      targetX: 370,
      targetY: 400,
      targetPosition: 'top',
    }
    expect(
      overlaps(boxAt(pointOnLink(left, 0.5), text), boxAt(pointOnLink(right, 0.5), text)),
    ).toBe(true)

    const placed = placeLinkLabels([
      { id: 'link:0', curve: left, text },
      { id: 'link:1', curve: right, text },
    ])
    expect(overlaps(boxAt(placed.get('link:0')!, text), boxAt(placed.get('link:1')!, text))).toBe(
      false,
    )
    // The first link keeps the preferred middle spot.
    expect(placed.get('link:0')).toEqual(pointOnLink(left, 0.5))
  })

  it('moves a label off a component box when the curve has a free spot', () => {
    const curve: CurveEnds = {
      sourceX: 0,
      sourceY: 0,
      sourcePosition: 'bottom',
      targetX: 0,
      targetY: 300,
      targetPosition: 'top',
    }
    const box: Box = { x: -100, y: 120, width: 200, height: 60 }
    const at = placeLinkLabels([{ id: 'link:0', curve, text: 'UPI · 54 ns' }], [box]).get('link:0')!
    expect(overlaps(boxAt(at, 'UPI · 54 ns'), box)).toBe(false)
  })
})
