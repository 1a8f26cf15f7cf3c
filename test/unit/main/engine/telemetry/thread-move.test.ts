import { describe, expect, it } from 'vitest'
import { experiment, singleRegion, twoSocketsPlusCxl } from '../sim/fixtures'
import { runProbe } from './probe'

describe('thread moves', () => {
  it("change the process's initiator, so its latency and samples follow", () => {
    // 1/32 GiB = 16 frames of 2 MiB, all on s0's DRAM (node 0, 32 frames). Local: 100 ns;
    // from s1 over UPI: 50 ns link + 100 ns DRAM = 150 ns. The probe moves p0 at epoch 49's end.
    const exp = experiment(
      twoSocketsPlusCxl(1 / 16, 1 / 4),
      singleRegion(1 / 32, { kind: 'uniform' }),
      'first-touch',
      {},
      { durationS: 1 },
    )
    const { result, log } = runProbe(exp, { samples: { period: 1000 } }, (ctx) => {
      if (ctx.epoch === 49) ctx.moveThreads(0, 's1')
    })
    expect(result.summary.threadMoves).toBe(1)
    expect(log.initiators[48]).toEqual(['s0'])
    expect(log.initiators[49]).toEqual(['s1'])
    const before = log.samples.filter((s) => s.epoch < 50)
    const after = log.samples.filter((s) => s.epoch >= 50)
    expect(before.length).toBeGreaterThan(0)
    expect(after.length).toBeGreaterThan(0)
    for (const s of before) expect(s.latencyNs).toBe(100)
    for (const s of after) expect(s.latencyNs).toBe(150)
    // 50 epochs at 2e9/(200+100) = 6.667e6 accesses/s and 50 at 2e9/(200+150) = 5.714e6, so the
    // access-weighted mean is (6.667·100 + 5.714·150) / (6.667 + 5.714) = 123.08 ns.
    const fast = 2e9 / 300
    const slow = 2e9 / 350
    const expected = (fast * 100 + slow * 150) / (fast + slow)
    expect(Math.abs(result.processes[0].meanLatencyNs - expected)).toBeLessThan(1)
  })
})
