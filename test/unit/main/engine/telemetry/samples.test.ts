import { describe, expect, it } from 'vitest'
import { SAMPLE_CPU_S } from '../../../../../main/engine/sim/telemetry/samples'
import { experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'
import { runProbe } from './probe'

// 1/16 GiB DRAM = 32 frames of 2 MiB, 1/8 GiB region = 64 frames, uniform, first touch: the
// engine leaves room for the watermark, so 31 frames land on DRAM (node 0) and 33 on CXL (node 1).
// Idle latencies: DRAM 100 ns; CXL 70 ns link + 170 ns device = 240 ns. 1 s in 100 epochs.
const exp = () =>
  experiment(
    socketPlusCxl(1 / 16, 1 / 4),
    singleRegion(1 / 8, { kind: 'uniform' }),
    'first-touch',
    {},
    { durationS: 1 },
  )
const PERIOD = 1000

describe('hardware access samples', () => {
  const { result, log } = runProbe(exp(), { samples: { period: PERIOD } })

  it('arrive at about accesses / period', () => {
    // Mean latency 31/64·100 + 33/64·240 = 172.19 ns; 2 threads, 200 ns compute, 1 access/op,
    // mlp 1: 2e9 / 372.19 = 5.374e6 accesses/s, over 1 s / 1000 = 5374 samples. Each epoch draws
    // floor(expected) plus one with the fractional chance, so the total is off by at most 100
    // (one per epoch); the binomial spread is √(100·¼) = 5, so ±30 is 6σ for this fixed seed.
    const accesses = result.processes[0].throughputOpsPerS * 1 * 1
    expect(accesses).toBeCloseTo(2e9 / (200 + (31 * 100 + 33 * 240) / 64), -4)
    expect(log.samples.length).toBe(result.summary.samples)
    expect(Math.abs(log.samples.length - accesses / PERIOD)).toBeLessThan(30)
  })

  it('carry the node that holds the frame, its latency and a CPU process', () => {
    for (const s of log.samples) {
      expect(s.node).toBe(s.frameNodeNow)
      expect(s.process).toBe(0)
      expect(s.latencyNs).toBe(s.node === 0 ? 100 : 240)
    }
    // Uniform access: the CXL share of samples should be 33/64 = 0.516; with ~5374 samples
    // σ = √(0.516·0.484/5374) = 0.0068, so ±0.04 is about 6σ.
    const cxl = log.samples.filter((s) => s.node === 1).length / log.samples.length
    expect(Math.abs(cxl - 33 / 64)).toBeLessThan(0.04)
  })

  it('charge their CPU cost', () => {
    // Nothing else costs CPU under this probe (no faults, no migrations, no checks).
    expect(result.summary.policyCpuS).toBeCloseTo(log.samples.length * SAMPLE_CPU_S, 9)
    expect(result.summary.policyCpuS).toBeGreaterThan(0)
    // The ledger books it to the sampling source alone.
    expect(result.summary.samplesCpuS).toBe(result.summary.policyCpuS)
    expect(result.summary.hintFaultsCpuS).toBe(0)
  })

  it('cost nothing and deliver nothing without a subscription', () => {
    const none = runProbe(exp(), {})
    expect(none.log.hookCalls).toEqual({ samples: 0, cxl: 0, gpu: 0, hintFaults: 0 })
    expect(none.result.summary.samples).toBe(0)
    expect(none.result.summary.policyCpuS).toBe(0)
    // Sampling slows the process by its CPU cost: ~5374 · 2e-7 s = 1.07 ms per 2 thread-s.
    expect(result.processes[0].throughputOpsPerS).toBeLessThan(
      none.result.processes[0].throughputOpsPerS,
    )
  })

  it('say whether the access was a store, at the process write fraction', () => {
    // writeFraction 0 above: no sample is a store.
    expect(log.samples.every((s) => s.write === false)).toBe(true)
    // 0.3 of accesses are stores: ~5374 samples, σ = √(0.3·0.7/5374) = 0.0063, so ±0.04 is ~6σ.
    const wl = singleRegion(1 / 8, { kind: 'uniform' }, { writeFraction: 0.3 })
    const { log: w } = runProbe({ ...exp(), workload: wl }, { samples: { period: PERIOD } })
    const share = w.samples.filter((s) => s.write).length / w.samples.length
    expect(Math.abs(share - 0.3)).toBeLessThan(0.04)
    // The store flag has its own stream: the frames sampled are those of the read-only run.
    expect(w.samples.map((s) => s.frame)).toEqual(log.samples.map((s) => s.frame))
  })

  it('keep runs deterministic: same seed, same JSON', () => {
    const again = runProbe(exp(), { samples: { period: PERIOD } })
    const json = (r: typeof result, l: typeof log) =>
      JSON.stringify({ s: r.summary, series: r.series, h: r.heatmap, samples: l.samples })
    expect(json(again.result, again.log)).toBe(json(result, log))
    const other = runProbe({ ...exp(), seed: 2 }, { samples: { period: PERIOD } })
    expect(json(other.result, other.log)).not.toBe(json(result, log))
  })
})
