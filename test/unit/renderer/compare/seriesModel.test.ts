import { describe, expect, it } from 'vitest'
import {
  defaultSeriesKeys,
  groupSeries,
  isNodeUsedSeries,
  seriesCatalog,
} from '../../../../renderer/src/features/compare/model/seriesKeys'
import { emaSmooth } from '../../../../renderer/src/features/compare/model/smoothing'
import { sampleAt } from '../../../../renderer/src/features/compare/model/valueAt'
import { overlaidSeriesCsv } from '../../../../renderer/src/features/compare/model/seriesCsv'
import { compareQuery, parseRunIds } from '../../../../renderer/src/lib/compareRoute'

const meta = (key: string, label = key, unit = '') => ({ key, label, unit })

describe('series keys', () => {
  it('group as the metric catalogue does, run-wide first, without repeats', () => {
    const groups = groupSeries([
      meta('process.kv.meanLatencyNs'),
      meta('throughputOpsPerS'),
      meta('policy.hotThresholdMs', 'Hot threshold', 'ms'),
      meta('node.0.usedBytes'),
      meta('process.kv.meanLatencyNs'),
      meta('topTierHitRatio'),
      meta('process.batch.meanLatencyNs'),
    ])
    expect(groups.map((g) => [g.group, g.label, g.items.map((i) => i.key)])).toEqual([
      ['run', 'Run', ['throughputOpsPerS', 'topTierHitRatio']],
      ['process', 'Processes', ['process.kv.meanLatencyNs', 'process.batch.meanLatencyNs']],
      ['node', 'Nodes', ['node.0.usedBytes']],
      ['policy', 'Policy', ['policy.hotThresholdMs']],
    ])
  })

  it('do not guess from key spellings: a key the catalogue does not know is run-wide', () => {
    // The old picker split on ":" and "." and would have made a "latency" group here.
    const groups = groupSeries([meta('latency:kv'), meta('node-used:1', 'n1', 'B')])
    expect(groups.map((g) => [g.group, g.items.length])).toEqual([['run', 2]])
  })

  it('build the union of the runs’ series and pick throughput by default', () => {
    const catalog = seriesCatalog([
      [meta('node.0.usedBytes', 'n0', 'B')],
      [meta('node.0.usedBytes', 'n0', 'B'), meta('throughputOpsPerS', 'T', 'ops/s')],
    ])
    expect(catalog.map((c) => c.key)).toEqual(['node.0.usedBytes', 'throughputOpsPerS'])
    expect(defaultSeriesKeys(catalog)).toEqual(['throughputOpsPerS'])
    expect(
      defaultSeriesKeys([meta('process.kv.meanLatencyNs'), meta('process.kv.throughputOpsPerS')]),
    ).toEqual(['process.kv.throughputOpsPerS'])
    expect(defaultSeriesKeys([meta('latency:kv')])).toEqual(['latency:kv'])
    expect(defaultSeriesKeys([])).toEqual([])
  })

  it('recognise per-node used memory by its catalogue kind', () => {
    expect(isNodeUsedSeries(meta('node.1.usedBytes', 'n1', 'B'))).toBe(true)
    expect(isNodeUsedSeries(meta('node.1.loadedLatencyNs', 'n1', 'ns'))).toBe(false)
    expect(isNodeUsedSeries(meta('node-used:1', 'n1', 'B'))).toBe(false)
    expect(isNodeUsedSeries(meta('process.used.usedBytes', 'x', 'B'))).toBe(false)
  })
})

describe('emaSmooth', () => {
  it('is the debiased EMA TensorBoard draws', () => {
    // w = 0.5: last₁ = 0.5·2 = 1 → 1/(1−0.5) = 2; last₂ = 0.5·1 + 0.5·4 = 2.5 → 2.5/(1−0.25) = 3.333…
    const s = emaSmooth([2, 4], 0.5)
    expect(s[0]).toBe(2)
    expect(s[1]).toBeCloseTo(10 / 3, 12)
    expect(emaSmooth([1, 5, 2], 0)).toEqual([1, 5, 2])
  })

  it('passes gaps through without poisoning the average', () => {
    // w = 0.5: 2 → 2; NaN passes; then last = 0.5·1 + 0.5·4 = 2.5 → 2.5/0.75.
    const s = emaSmooth([2, Number.NaN, 4], 0.5)
    expect(s[1]).toBeNaN()
    expect(s[2]).toBeCloseTo(10 / 3, 12)
  })
})

describe('sampleAt', () => {
  const t = [0.01, 0.02, 0.03, 0.04]
  const v = [10, 20, 30, 40]
  it('reads the last sample at or before the cursor', () => {
    expect(sampleAt(t, v, 0.03)).toEqual({ index: 2, tS: 0.03, value: 30 })
    expect(sampleAt(t, v, 0.035)).toEqual({ index: 2, tS: 0.03, value: 30 })
    expect(sampleAt(t, v, 9)).toEqual({ index: 3, tS: 0.04, value: 40 })
    expect(sampleAt(t, v, 0.005)).toBeNull()
    expect(sampleAt([], [], 1)).toBeNull()
  })
})

describe('overlaidSeriesCsv', () => {
  it('has one row per time point of any column, blank where a column has no sample', () => {
    const csv = overlaidSeriesCsv([
      { header: 'tpp: Throughput (ops/s)', t: [0.5, 1], values: [100, 110] },
      { header: 'first-touch: Throughput (ops/s)', t: [0.5, 1, 1.5], values: [90, 95, 97] },
    ])
    expect(csv).toBe(
      't_s,tpp: Throughput (ops/s),first-touch: Throughput (ops/s)\r\n0.5,100,90\r\n1,110,95\r\n1.5,,97\r\n',
    )
  })
})

describe('compare route', () => {
  it('parses run ids, dropping junk and repeats, keeping order', () => {
    expect(parseRunIds('3,1,2')).toEqual([3, 1, 2])
    expect(parseRunIds('3, 1,x,0,-2,3,1.5')).toEqual([3, 1])
    expect(parseRunIds(['4', '5,6'])).toEqual([4, 5, 6])
    expect(parseRunIds(undefined)).toEqual([])
  })

  it('writes a chosen baseline (the default depends on the runs), never one not compared', () => {
    expect(compareQuery([1, 2], 1)).toEqual({ runs: '1,2', baseline: '1' })
    expect(compareQuery([1, 2], 2)).toEqual({ runs: '1,2', baseline: '2' })
    expect(compareQuery([1, 2], 3)).toEqual({ runs: '1,2' })
    expect(compareQuery([1, 2], null)).toEqual({ runs: '1,2' })
    expect(compareQuery([], null)).toEqual({})
  })
})
