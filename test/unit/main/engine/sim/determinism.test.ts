import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from './fixtures'

describe('determinism', () => {
  const base = () =>
    experiment(
      socketPlusCxl(0.0625, 0.25),
      singleRegion(
        0.125,
        { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.95 },
        { threads: 1, computeNsPerOp: 1000 },
      ),
      'numa-balancing-tiering',
      { scanDelayMs: 100 },
      { pageBytes: 4096, durationS: 3 },
    )

  it('gives byte-identical series and summary for the same seed, different ones for another', () => {
    const a = runSimulation(base(), BUILTIN_POLICIES)
    const b = runSimulation(base(), BUILTIN_POLICIES)
    const json = (r: typeof a) => JSON.stringify({ s: r.summary, series: r.series, h: r.heatmap })
    expect(json(a)).toBe(json(b))
    expect(a.summary.hintFaults).toBeGreaterThan(0)
    const c = runSimulation({ ...base(), seed: 2 }, BUILTIN_POLICIES)
    expect(json(c)).not.toBe(json(a))
    expect(c.summary.hintFaults).not.toBe(a.summary.hintFaults)
  })
})
