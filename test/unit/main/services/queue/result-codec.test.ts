import { deflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  decodeResult,
  encodedResultSchema,
  encodeResult,
  ResultDecodeError,
} from '../../../../../main/services/queue/result-codec'

const base = {
  summary: { throughputOpsPerS: 1.5e6 },
  processes: [{ id: 'p', throughputOpsPerS: 1.5e6, meanLatencyNs: 123.456 }],
  nodes: [{ node: 0, component: 's0', usedBytes: 4096, accessShare: 1 }],
  cancelled: false,
}

/** Through JSON and the schema, as a result comes out of Redis. */
const overTheWire = (value: unknown) =>
  decodeResult(encodedResultSchema.parse(JSON.parse(JSON.stringify(value))))

describe('a job result through Redis', () => {
  it('round-trips series exactly and the heatmap at Float32 (as the store keeps it)', () => {
    const result = {
      ...base,
      series: [
        { key: 'k', label: 'K', unit: 'u', t: [0.01, 0.02], values: [Math.PI, -1e-300] },
        // Shares the first series' times: sent once, back as its own array.
        { key: 'j', label: 'J', unit: 'u', t: [0.01, 0.02], values: [-0, Number.MAX_VALUE] },
        {
          key: 'policy.x',
          label: 'X',
          unit: 'ms',
          better: 'lower' as const,
          t: [0.01],
          values: [2],
        },
        // Same length as the first, other times: its own axis.
        { key: 'm', label: 'M', unit: 'u', t: [0.5, 0.75], values: [1, 2] },
      ],
      heatmap: { t: [0.5], rankBins: 2, tiers: [0, 1], values: [0.1, 1.75] },
    }
    const decoded = overTheWire(encodeResult(result, 812, 'lab-1:42'))
    expect(decoded.series).toEqual(result.series)
    expect(Object.is(decoded.series[1].values[0], -0)).toBe(true)
    expect(decoded.series[1].t).not.toBe(decoded.series[0].t)
    expect(decoded.nodes).toEqual(result.nodes)
    expect(decoded.heatmap!.values).toEqual([Math.fround(0.1), 1.75])
    expect(decoded.heatmap!.t).toEqual([0.5])
    expect(decoded.wallMs).toBe(812)
    expect(decoded.summary).toEqual(result.summary)
    // No warnings: none; warnings travel as they are.
    expect(decoded.warnings).toEqual([])
    const warned = { ...result, warnings: ['the closed loop did not converge in 1 epoch(s)'] }
    expect(overTheWire(encodeResult(warned, 1, 'w')).warnings).toEqual(warned.warnings)
    // No series, no heatmap.
    const empty = overTheWire(encodeResult({ ...base, series: [], heatmap: null }, 1, 'w'))
    expect(empty.series).toEqual([])
    expect(empty.heatmap).toBeNull()
  })

  it("sends a run's shared time axis once and compresses its flat series", () => {
    // 26 series × 2000 epochs and a 2000 × 64 heatmap, as a 120 s run gives: mostly steady.
    const t = Array.from({ length: 2000 }, (_, i) => (i + 1) * 0.06)
    const series = Array.from({ length: 26 }, (_, k) => ({
      key: `s${k}`,
      label: `S${k}`,
      unit: 'u',
      t,
      values: t.map((_, i) => (i < 100 ? i * k : 100 * k)),
    }))
    const heatmap = {
      t,
      rankBins: 64,
      tiers: [0, 1],
      values: Array.from({ length: 2000 * 64 }, (_, i) => (i % 64 < 20 ? 0 : 1)),
    }
    const wire = JSON.stringify(encodeResult({ ...base, series, heatmap }, 1, 'w'))
    const rawFloatBytes = (26 * 2 * 2000 + 2000) * 8 + 2000 * 64 * 4
    expect(wire.length).toBeLessThan(rawFloatBytes / 20)
    const back = overTheWire(JSON.parse(wire))
    expect(back.series).toEqual(series)
    expect(back.heatmap).toEqual(heatmap)
  })

  it('still reads the first wire format (one base64 string per array)', () => {
    const b64 = (xs: number[], f32 = false) =>
      Buffer.from((f32 ? Float32Array.from(xs) : Float64Array.from(xs)).buffer).toString('base64')
    const old = {
      ...base,
      series: [{ key: 'k', label: 'K', unit: 'u', t: b64([1, 2]), values: b64([Math.E, 3]) }],
      heatmap: { t: b64([1]), rankBins: 2, tiers: [0], values: b64([0.5, 2], true) },
      wallMs: 5,
      worker: 'old:1',
    }
    const decoded = overTheWire(old)
    expect(decoded.series).toEqual([
      { key: 'k', label: 'K', unit: 'u', t: [1, 2], values: [Math.E, 3] },
    ])
    expect(decoded.heatmap).toEqual({ t: [1], rankBins: 2, tiers: [0], values: [0.5, 2] })
  })

  it('refuses numbers that do not match what the series declare, saying so', () => {
    const good = encodeResult(
      {
        ...base,
        series: [{ key: 'k', label: 'K', unit: 'u', t: [1, 2], values: [3, 4] }],
        heatmap: null,
      },
      1,
      'w',
    )
    const bad =
      (floats: string, series = good.series) =>
      () =>
        decodeResult(encodedResultSchema.parse({ ...good, floats, series }))
    // Not deflate data at all.
    expect(bad('bm90IGRlZmxhdGU=')).toThrow(ResultDecodeError)
    expect(bad('bm90IGRlZmxhdGU=')).toThrow(/do not inflate to the 32 bytes its series declare/)
    // Too few numbers.
    const short = deflateRawSync(Buffer.alloc(24)).toString('base64')
    expect(bad(short)).toThrow(/numbers are 24 bytes, but its series declare 32/)
    // More than declared (a decompression bomb is cut off at the declared size).
    const long = deflateRawSync(Buffer.alloc(1 << 20)).toString('base64')
    expect(bad(long)).toThrow(/do not inflate to the 32 bytes/)
    // A declared size no run produces is refused before inflating anything.
    expect(bad(good.floats, [{ ...good.series[0], points: 2 ** 40 }])).toThrow(
      /more than any run sends/,
    )
  })
})
