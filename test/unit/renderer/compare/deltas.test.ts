import { describe, expect, it } from 'vitest'
import {
  deltaCell,
  formatPercent,
  summaryDeltas,
} from '../../../../renderer/src/features/compare/model/deltas'
import { formatMetric, metricInfo } from '../../../../renderer/src/features/compare/model/metrics'

describe('metric names', () => {
  it('come from the metric catalogue, not from the key spelling', () => {
    expect(metricInfo('meanLatencyNs')).toMatchObject({ unit: 'ns', better: 'lower' })
    expect(metricInfo('promotedBytes')).toMatchObject({ unit: 'B', better: 'neutral' })
    expect(metricInfo('throughputOpsPerS')).toMatchObject({ unit: 'ops/s', better: 'higher' })
    expect(metricInfo('topTierHitRatio')).toMatchObject({ unit: 'ratio', better: 'higher' })
    expect(metricInfo('slowdownVsAllFast')).toMatchObject({ unit: '×', better: 'lower' })
    expect(metricInfo('pingPongs')).toMatchObject({ unit: 'count', better: 'lower' })
    expect(metricInfo('migrationCpuS')).toMatchObject({ unit: 'CPU s', better: 'lower' })
    // Unknown: its own name, no unit, no verdict (a regex would have called it ns, lower).
    expect(metricInfo('someNewLatencyNs')).toMatchObject({
      label: 'someNewLatencyNs',
      better: 'neutral',
    })
  })

  it('format values in their unit', () => {
    expect(formatMetric(1_234_567, 'ops/s')).toBe('1.23M ops/s')
    expect(formatMetric(182.4, 'ns')).toBe('182.4 ns')
    // 1.2 GiB = 1288490189 B.
    expect(formatMetric(1_288_490_189, 'B')).toBe('1.2 GiB')
    expect(formatMetric(0.91234, 'ratio')).toBe('0.912')
    expect(formatMetric(null, 'ns')).toBe('—')
    expect(formatMetric(3, 'count')).toBe('3')
    expect(formatMetric(12.5, 'ms')).toBe('12.5 ms')
  })
})

describe('deltaCell', () => {
  it('gives absolute and percent change and judges it by direction', () => {
    // 615 vs 500: +115, +23 %.
    expect(deltaCell(615, 500, 'higher')).toEqual({
      value: 615,
      absolute: 115,
      percent: 23,
      verdict: 'better',
    })
    // Latency 250 vs 200 ns: +50 ns, +25 %: worse.
    expect(deltaCell(250, 200, 'lower')).toMatchObject({
      absolute: 50,
      percent: 25,
      verdict: 'worse',
    })
    expect(deltaCell(150, 200, 'lower').verdict).toBe('better')
    expect(deltaCell(150, 200, 'neutral').verdict).toBe('neutral')
  })

  it('calls changes under 0.5 % the same, and has no percent against a zero baseline', () => {
    // 1004 vs 1000: 0.4 % → same.
    expect(deltaCell(1004, 1000, 'higher').verdict).toBe('same')
    expect(deltaCell(5, 0, 'lower')).toEqual({
      value: 5,
      absolute: 5,
      percent: null,
      verdict: 'worse',
    })
    expect(deltaCell(0, 0, 'lower').verdict).toBe('same')
    expect(deltaCell(null, 3, 'lower').verdict).toBe('missing')
  })
})

describe('summaryDeltas', () => {
  it('has one row per metric in any run, measured against the chosen baseline', () => {
    const rows = summaryDeltas(
      [
        { throughputOpsPerS: 500, meanLatencyNs: 200 },
        { throughputOpsPerS: 400, meanLatencyNs: 250, pingPongs: 3 },
      ],
      1,
    )
    expect(rows.map((r) => r.key)).toEqual(['throughputOpsPerS', 'meanLatencyNs', 'pingPongs'])
    // Baseline is run 1 (400): run 0 is +100 = +25 %, better; the baseline's own cell is 0.
    expect(rows[0].baseline).toBe(400)
    expect(rows[0].cells[0]).toMatchObject({ absolute: 100, percent: 25, verdict: 'better' })
    expect(rows[0].cells[1]).toMatchObject({ absolute: 0, verdict: 'same' })
    // Latency 200 vs 250: −50 ns = −20 %, better (lower is better).
    expect(rows[1].cells[0]).toMatchObject({ absolute: -50, percent: -20, verdict: 'better' })
    // Run 0 has no ping-pong count.
    expect(rows[2].cells[0].verdict).toBe('missing')
  })

  it('lists rows in catalogue order and shows metrics an engine 0.2.0 run lacks as missing', () => {
    // The old run (p50/p99 of epoch means, no p90 or p99.9) against a 0.3 run.
    const old = { p99LatencyNs: 151, throughputOpsPerS: 100, threadMoves: 0 }
    const now = {
      throughputOpsPerS: 110,
      p90LatencyNs: 240,
      p99LatencyNs: 260,
      localAccessRatio: 1,
    }
    const rows = summaryDeltas([old, now], 0)
    expect(rows.map((r) => r.key)).toEqual([
      'throughputOpsPerS',
      'p90LatencyNs',
      'p99LatencyNs',
      'localAccessRatio',
      'threadMoves',
    ])
    const p90 = rows[1]
    expect(p90.baseline).toBeNull()
    expect(p90.cells.map((c) => c.verdict)).toEqual(['missing', 'missing'])
    expect(formatMetric(p90.cells[0].value, p90.unit)).toBe('—')
    expect(formatMetric(p90.cells[1].value, p90.unit)).toBe('240 ns')
    expect(rows[2].cells[1]).toMatchObject({ absolute: 109, verdict: 'worse' })
  })

  it('copes with runs that have no summary yet', () => {
    const rows = summaryDeltas([null, { throughputOpsPerS: 1 }], 0)
    expect(rows[0].baseline).toBeNull()
    expect(rows[0].cells.map((c) => c.verdict)).toEqual(['missing', 'missing'])
  })
})

describe('formatPercent', () => {
  it('always signs, one decimal under 10 %', () => {
    expect(formatPercent(23.4)).toBe('+23 %')
    expect(formatPercent(-5.25)).toBe('−5.3 %')
    expect(formatPercent(0)).toBe('±0.0 %')
    expect(formatPercent(null)).toBe('—')
  })
})
