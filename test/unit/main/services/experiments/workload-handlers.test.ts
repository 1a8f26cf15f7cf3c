import { describe, expect, it } from 'vitest'
import { resolveResourcesDir } from '../../../../../main/services'
import {
  createPresetSource,
  createWorkloadHandlers,
  setKnob,
} from '../../../../../main/services/experiments'
import {
  PREVIEW_MAX_FRAMES,
  previewPageBytes,
} from '../../../../../main/services/experiments/workload-handlers'
import { workloadSchema } from '../../../../../shared/formats'
import { experimentDoc } from '../runs/helpers'

const handlers = createWorkloadHandlers(createPresetSource(resolveResourcesDir()))

/** One process touching one 1 GiB region with the given pattern in its only phase. */
const workload = (pattern: Record<string, unknown>) =>
  setKnob(experimentDoc('x').workload, 'processes[0].phases[0].accesses[0].pattern', pattern)

describe('workload.preview', () => {
  it('computes the hotness curve in main: a hot set gets its probability in its fraction', async () => {
    const res = await handlers['workload.preview']({
      workload: workload({ kind: 'hotset', hotFraction: 0.1, hotProbability: 0.9 }),
      process: 'p',
      phase: 0,
      points: 11,
    })
    expect(res.fractions).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1])
    // 512 frames of 2 MiB; the hottest 10 % hold 90 % of accesses, the rest 10 % spread evenly:
    // at 50 %: 0.9 + 0.1 × (0.5 − 0.1)/0.9 = 0.94444…
    expect(res.shares[1]).toBeCloseTo(0.9, 2)
    expect(res.shares[5]).toBeCloseTo(0.9 + (0.1 * 0.4) / 0.9, 2)
    expect(res.shares[10]).toBeCloseTo(1, 9)
  })

  it('a uniform pattern is the diagonal', async () => {
    const res = await handlers['workload.preview']({
      workload: workload({ kind: 'uniform' }),
      process: 'p',
      phase: 0,
      points: 5,
    })
    res.shares.forEach((s, i) => expect(s).toBeCloseTo(res.fractions[i], 6))
  })

  it('works on a preset and names a process or phase that does not exist', async () => {
    const presets = await handlers['workload.presets']({})
    expect(presets.map((p) => p.id)).toContain('kv-store')
    const res = await handlers['workload.preview']({
      preset: 'kv-store',
      process: 'server',
      phase: 0,
    })
    expect(res.shares).toHaveLength(101)
    await expect(
      handlers['workload.preview']({ preset: 'kv-store', process: 'nope', phase: 0 }),
    ).rejects.toThrow(
      'process: "nope" is not a process of workload "Key-value store (YCSB-B, zipf 0.99)"; use one of server',
    )
    await expect(
      handlers['workload.preview']({ preset: 'kv-store', process: 'server', phase: 3 }),
    ).rejects.toThrow('phase: process "server" has 1 phase; use an index from 0 to 0')
    await expect(handlers['workload.preview']({ process: 'server', phase: 0 })).rejects.toThrow(
      /either "workload" \(a document\) or "preset"/,
    )
  })
})

describe('workload.preview on a huge workload', () => {
  // Hostile hour 6: a 100 TiB workload compiled at 2 MiB pages (2^26 frames and their layout
  // shuffle) held the host's event loop for 6 s. The preview compiles a bounded frame count.
  const huge = setKnob(
    workload({ kind: 'hotset', hotFraction: 0.1, hotProbability: 0.9 }),
    'regions[0].sizeGiB',
    100 * 1024,
  )

  it('compiles at most PREVIEW_MAX_FRAMES frames, with 2 MiB pages whenever they fit', () => {
    const page = previewPageBytes(workloadSchema.parse(huge))
    expect((100 * 2 ** 40) / page).toBeLessThanOrEqual(PREVIEW_MAX_FRAMES)
    expect(page).toBe(2 ** 29) // 100 TiB / 512 MiB = 204,800 frames; 256 MiB would be 409,600
    expect(previewPageBytes(workloadSchema.parse(workload({ kind: 'uniform' })))).toBe(2 ** 21)
  })

  it('still gives the curve of the pattern', async () => {
    const res = await handlers['workload.preview']({
      workload: huge,
      process: 'p',
      phase: 0,
      points: 11,
    })
    expect(res.shares[1]).toBeCloseTo(0.9, 3)
    expect(res.shares[5]).toBeCloseTo(0.9 + (0.1 * 0.4) / 0.9, 3)
  })
})
