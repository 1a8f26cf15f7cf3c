import { describe, expect, it } from 'vitest'
import {
  addFrameProbabilities,
  compileWorkload,
  frameProbability,
  sampleFrame,
} from '../../../../../main/engine/workload'
import { hotnessCurve } from '../../../../../main/engine/workload/hotness-curve'
import { Rng } from '../../../../../main/engine/rng'
import { workloadSchema } from '../../../../../shared/formats/workload'

/** 1024 base pages (4 MiB): pages 0..9 get 1000 accesses each, page 700 gets 5000, the rest 1. */
function traced() {
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'traced',
    regions: [{ id: 'r', sizeGiB: 4 / 1024, firstTouch: 'p' }],
    processes: [
      {
        id: 'p',
        initiator: 's0',
        threads: 1,
        computeNsPerOp: 10,
        accessesPerOp: 1,
        mlp: 1,
        writeFraction: 0,
        phases: [
          {
            durationS: 1,
            accesses: [{ region: 'r', share: 1, pattern: { kind: 'trace', trace: 't' } }],
          },
        ],
      },
    ],
    traces: [
      {
        id: 't',
        pages: [
          [10, 1000],
          [690, 1],
          [1, 5000],
          [323, 1],
        ],
      },
    ],
  })
}
const TOTAL = 10 * 1000 + 690 + 5000 + 323

describe('trace pattern', () => {
  it('gives each 4 KiB frame its share of the trace accesses', () => {
    const c = compileWorkload(traced(), 4096, 1)
    expect(c.totalFrames).toBe(1024)
    expect(frameProbability(c, 0, 0, 0)).toBeCloseTo(1000 / TOTAL, 12)
    expect(frameProbability(c, 0, 700, 0)).toBeCloseTo(5000 / TOTAL, 12)
    expect(frameProbability(c, 0, 701, 0)).toBeCloseTo(1 / TOTAL, 12)
    const out = new Float64Array(1024)
    addFrameProbabilities(c, 0, 0, out)
    expect(out.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12)
    expect(out[700]).toBeCloseTo(5000 / TOTAL, 12)
  })

  it('sums base pages into huge frames', () => {
    // 2 MiB frames hold 512 pages: frame 0 = pages 0..511, frame 1 = 512..1023 (with page 700).
    const c = compileWorkload(traced(), 2 * 1024 * 1024, 1)
    expect(c.totalFrames).toBe(2)
    expect(frameProbability(c, 0, 0, 0)).toBeCloseTo((10000 + 502) / TOTAL, 12)
    expect(frameProbability(c, 0, 1, 0)).toBeCloseTo((188 + 5000 + 323) / TOTAL, 12)
  })

  it('samples the hot pages as often as the trace touched them', () => {
    const c = compileWorkload(traced(), 4096, 1)
    const rng = new Rng(7)
    const access = c.processes[0].phases[0].accesses[0]
    let hot = 0
    const draws = 20000
    for (let i = 0; i < draws; i++) {
      const f = sampleFrame(c, access, rng, 0)
      if (f < 10 || f === 700) hot++
    }
    expect(hot / draws).toBeCloseTo(15000 / TOTAL, 1)
  })

  it('previews the trace hottest pages first', () => {
    const c = compileWorkload(traced(), 4096, 1)
    // 11 hot pages of 1024 (~1.07 %) receive 15000 / TOTAL of the accesses.
    const [y] = hotnessCurve(c, 0, 0, [11 / 1024])
    expect(y).toBeCloseTo(15000 / TOTAL, 3)
  })
})
