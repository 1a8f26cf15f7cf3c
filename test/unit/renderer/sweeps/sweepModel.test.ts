import { describe, expect, it } from 'vitest'
import type { RunRecord } from '../../../../shared/runs'
import { meanCi } from '../../../../shared/stats'
import {
  axisValues,
  heatmapCells,
  lineSeries,
  sweepMetrics,
} from '../../../../renderer/src/features/sweeps/model/sweepModel'
import { sweepLineOption } from '../../../../renderer/src/features/sweeps/charts/sweepOptions'
import { makeRun } from '../runs/fakeRunsClient'

const run = (id: number, point: Record<string, number | string>, x: number, status = 'done') =>
  makeRun(id, {
    status: status as RunRecord['status'],
    batch: 's',
    sweepPoint: point,
    summary: status === 'done' ? { throughputOpsPerS: x } : null,
  })

describe('sweep model', () => {
  const one = [
    run(1, { k: 100 }, 10),
    run(2, { k: 100 }, 14),
    run(3, { k: 5 }, 20),
    run(4, { k: 5 }, 22),
    run(5, { k: 5 }, 0, 'failed'),
  ]

  it('orders numeric knob values ascending', () => {
    expect(axisValues(one, 'k')).toEqual([5, 100])
  })

  it('gives each value its mean ± CI over done replicates, and every run for the click', () => {
    const { categories, points } = lineSeries(one, 'k', 'throughputOpsPerS')
    expect(categories).toEqual(['5', '100'])
    expect(points[0]!.ci).toEqual(meanCi([20, 22]))
    expect(points[0]!.runIds).toEqual([3, 4, 5])
    expect(points[1]!.ci!.mean).toBe(12)
    expect(sweepMetrics(one)).toEqual(['throughputOpsPerS'])
  })

  it('draws the band between the CI bounds (low + width stacked)', () => {
    const { option } = sweepLineOption(one, 'k', 'throughputOpsPerS')
    const series = (option as { series: Array<{ data: Array<number | null> }> }).series
    const ci = meanCi([20, 22])!
    expect(series[0].data[0]).toBeCloseTo(ci.low, 10)
    expect(series[1].data[0]).toBeCloseTo(ci.high - ci.low, 10)
    expect(series[2].data[0]).toBe(21)
  })

  it('lays two knobs out as heatmap cells', () => {
    const grid = [
      run(1, { a: 1, b: 'x' }, 1),
      run(2, { a: 2, b: 'x' }, 2),
      run(3, { a: 1, b: 'y' }, 3),
    ]
    const { xCategories, yCategories, cells } = heatmapCells(grid, ['a', 'b'], 'throughputOpsPerS')
    expect(xCategories).toEqual(['1', '2'])
    expect(yCategories).toEqual(['x', 'y'])
    expect(cells.map((c) => [c.x, c.y, c.point.ci!.mean])).toEqual([
      [0, 0, 1],
      [1, 0, 2],
      [0, 1, 3],
    ])
  })
})
