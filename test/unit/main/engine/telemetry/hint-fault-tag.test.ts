import { afterEach, describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { HintFaultScanner } from '../../../../../main/engine/sim/telemetry/hint-faults'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'

/**
 * A pending hint fault's record carries its frame's scan epoch in its tag for runs of fewer than
 * 2^20 epochs and reads it from the frame in longer runs. Both must give the same run: the scan
 * epoch sets each fault's latency, which the NUMA-balancing threshold judges.
 */
describe('hint-fault record tags', () => {
  const limit = HintFaultScanner.epochsInTagUpTo
  afterEach(() => {
    HintFaultScanner.epochsInTagUpTo = limit
  })

  it('give the same run whether the scan epoch is read from the tag or from the frame', () => {
    const exp = experiment(
      socketPlusCxl(1 / 16, 1),
      singleRegion(1 / 4, { kind: 'zipf', s: 0.99 }, { threads: 1, computeNsPerOp: 300 }),
      'numa-balancing-tiering',
      { scanDelayMs: 100, hotThresholdMs: 20, thresholdAutoAdjust: false },
      { pageBytes: 4096, durationS: 1 },
    )
    const inTag = runSimulation(exp, BUILTIN_POLICIES)
    // As in a run of 2^20 epochs or more: every record's scan epoch comes from its frame.
    HintFaultScanner.epochsInTagUpTo = 0
    const fromFrame = runSimulation(exp, BUILTIN_POLICIES)
    expect(inTag.summary.hintFaults).toBeGreaterThan(1000)
    expect(inTag.summary.promotions).toBeGreaterThan(100)
    expect(JSON.stringify(fromFrame)).toBe(JSON.stringify(inTag))
  })
})
