import { describe, expect, it } from 'vitest'
import { runSimulationCore } from '../../../../../main/engine/run'
import { BUILTIN_POLICIES } from '../../../../../main/engine'
import type { SimCore } from '../../../../../main/engine/sim/core'
import { UNALLOCATED } from '../../../../../main/engine/sim/frames'
import { experiment, singleRegion, socketPlusCxl } from './fixtures'

describe("each node's frame bitmap and bounds", () => {
  it('match the page table after a run full of promotions and demotions', () => {
    // kswapd's clock jumps between a node's frames by this bitmap and skips outside the bounds:
    // a frame missing from either would never be checked, one too many would be checked twice.
    let core: SimCore | null = null
    const r = runSimulationCore(
      experiment(
        socketPlusCxl(1 / 32, 1 / 4),
        singleRegion(1 / 16, { kind: 'zipf', s: 0.9 }, { threads: 1, computeNsPerOp: 2000 }),
        'numa-balancing-tiering',
        {},
        { pageBytes: 4096, durationS: 6 },
      ),
      BUILTIN_POLICIES,
      {},
      {},
      (setup) => (core = setup.core),
    )
    expect(r.summary.promotions).toBeGreaterThan(1000)
    expect(r.summary.demotions).toBeGreaterThan(1000)
    const c = core as unknown as SimCore
    let checked = 0
    for (let f = 0; f < c.frames.count; f++) {
      const node = c.frames.node[f]
      for (let n = 0; n < c.N; n++) {
        expect(c.onNodeBit(f, n)).toBe(node === n)
      }
      if (node === UNALLOCATED) continue
      expect(f).toBeGreaterThanOrEqual(c.nodeFrameLo[node])
      expect(f).toBeLessThanOrEqual(c.nodeFrameHi[node])
      checked++
    }
    expect(checked).toBe(c.frames.count)
  })
})
