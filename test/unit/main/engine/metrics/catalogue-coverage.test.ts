import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { SUMMARY_METRICS, seriesInfo } from '../../../../../shared/metrics/catalogue'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'

describe('the engine and the metric catalogue', () => {
  it('emit only summary metrics and series the catalogue describes, in its units', () => {
    const r = runSimulation(
      experiment(
        socketPlusCxl(0.125, 1),
        singleRegion(0.25, { kind: 'zipf', s: 0.99 }),
        'numa-balancing-tiering',
        {},
        { durationS: 1 },
      ),
      BUILTIN_POLICIES,
    )
    for (const key of Object.keys(r.summary))
      expect(Object.hasOwn(SUMMARY_METRICS, key), key).toBe(true)
    expect(r.series.length).toBeGreaterThan(10)
    for (const s of r.series) {
      const info = seriesInfo(s.key, s)
      // A policy's own series describes itself (label and unit travel with it).
      if (info.group === 'policy') {
        expect(s.label, s.key).not.toBe('')
        continue
      }
      expect(info.kind, s.key).toBeDefined()
      expect(s.unit, s.key).toBe(info.unit)
    }
    expect(new Set(r.series.map((s) => seriesInfo(s.key).group))).toEqual(
      new Set(['run', 'process', 'node', 'policy']),
    )
  })
})
