import { describe, expect, it } from 'vitest'
import {
  decodeResult,
  encodedResultSchema,
  encodeResult,
} from '../../../../../main/services/queue/result-codec'

describe('a job result through Redis', () => {
  it('round-trips series exactly and the heatmap at Float32 (as the store keeps it)', () => {
    const result = {
      summary: { throughputOpsPerS: 1.5e6 },
      processes: [{ id: 'p', throughputOpsPerS: 1.5e6, meanLatencyNs: 123.456 }],
      nodes: [{ node: 0, component: 's0', usedBytes: 4096, accessShare: 1 }],
      series: [
        { key: 'k', label: 'K', unit: 'u', t: [0.01, 0.02], values: [Math.PI, -1e-300] },
        {
          key: 'policy.x',
          label: 'X',
          unit: 'ms',
          better: 'lower' as const,
          t: [0.01],
          values: [2],
        },
      ],
      heatmap: { t: [0.5], rankBins: 2, tiers: [0, 1], values: [0.1, 1.75] },
      cancelled: false,
    }
    const wire = JSON.parse(JSON.stringify(encodeResult(result, 812, 'lab-1:42')))
    const decoded = decodeResult(encodedResultSchema.parse(wire))
    expect(decoded.series).toEqual(result.series)
    expect(decoded.nodes).toEqual(result.nodes)
    expect(decoded.heatmap!.values).toEqual([Math.fround(0.1), 1.75])
    expect(decoded.wallMs).toBe(812)
    expect(decoded.summary).toEqual(result.summary)
    // No warnings: none; warnings travel as they are.
    expect(decoded.warnings).toEqual([])
    const warned = { ...result, warnings: ['the closed loop did not converge in 1 epoch(s)'] }
    const back = decodeResult(
      encodedResultSchema.parse(JSON.parse(JSON.stringify(encodeResult(warned, 1, 'w')))),
    )
    expect(back.warnings).toEqual(warned.warnings)
  })
})
