import { describe, expect, it } from 'vitest'
import { runSimulation, BUILTIN_POLICIES } from '../../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from '../../sim/fixtures'
import { runScript, template } from './helpers'

const json = (r: ReturnType<typeof runSimulation>) =>
  JSON.stringify({ s: r.summary, p: r.processes, series: r.series, h: r.heatmap })

describe('a user-script clone of a built-in policy', () => {
  const base = (params: Record<string, unknown>) =>
    experiment(
      socketPlusCxl(0.0625, 0.25),
      singleRegion(
        0.125,
        { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.95 },
        { threads: 1, computeNsPerOp: 1000 },
      ),
      'numa-balancing-tiering',
      params,
      { pageBytes: 4096, durationS: 3 },
    )

  it.each([
    ['defaults', { scanDelayMs: 100 }],
    ['threshold adjust binding', { scanDelayMs: 100, scanPeriodMaxMs: 400, rateLimitMBps: 8 }],
    [
      'async promotion, no auto-adjust',
      { scanDelayMs: 50, promotion: 'async', thresholdAutoAdjust: false },
    ],
  ])(
    'numa-balancing-tiering as a script is byte-identical to the built-in (%s)',
    async (_, params) => {
      const builtIn = runSimulation(base(params), BUILTIN_POLICIES)
      const scripted = await runScript(
        base(params),
        template('numa-balancing-tiering.js'),
        'nbt.js',
      )
      expect(builtIn.summary.promotedBytes).toBeGreaterThan(0)
      expect(json(scripted)).toBe(json(builtIn))
    },
  )
})
