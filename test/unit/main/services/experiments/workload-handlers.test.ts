import { describe, expect, it } from 'vitest'
import { resolveResourcesDir } from '../../../../../main/services'
import {
  createPresetSource,
  createWorkloadHandlers,
  setKnob,
} from '../../../../../main/services/experiments'
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
