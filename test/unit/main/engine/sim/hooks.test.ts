import { describe, expect, it } from 'vitest'
import {
  BUILTIN_POLICIES,
  runSimulation,
  type SimulationProgress,
} from '../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from './fixtures'

describe('progress and cancel hooks', () => {
  const exp = experiment(
    socketPlusCxl(1, 1),
    singleRegion(0.25, { kind: 'uniform' }),
    'first-touch',
    {},
    { durationS: 1 },
  )

  it('reports progress every N epochs with live figures', () => {
    const seen: SimulationProgress[] = []
    runSimulation(exp, BUILTIN_POLICIES, {
      progressEveryEpochs: 25,
      onProgress: (p) => seen.push({ ...p, live: { ...p.live } }),
    })
    // 1 s of 10 ms epochs = 100 epochs: reports after 25, 50, 75 and 100.
    expect(seen.map((p) => p.epoch)).toEqual([25, 50, 75, 100])
    expect(seen[3].simulatedS).toBeCloseTo(1, 12)
    expect(Object.keys(seen[0].live).sort()).toEqual([
      'demotedBytesPerS',
      'meanLatencyNs',
      'promotedBytesPerS',
      'throughputOpsPerS',
      'topTierHitRatio',
    ])
    expect(seen[0].live.throughputOpsPerS).toBeGreaterThan(0)
  })

  it('stops when asked and says so', () => {
    let calls = 0
    const r = runSimulation(exp, BUILTIN_POLICIES, { shouldCancel: () => ++calls > 30 })
    expect(r.cancelled).toBe(true)
    // 30 epochs ran: the summary covers 0.3 s.
    expect(r.summary.simulatedS).toBeCloseTo(0.3, 9)
  })
})
