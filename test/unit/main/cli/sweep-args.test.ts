import { describe, expect, it } from 'vitest'
import { parseSweepArgs } from '../../../../main/cli/commands/sweep-args'
import { renderSweepTable } from '../../../../main/cli/format/sweep-table'
import type { RunDetail } from '../../../../shared/runs'

describe('tierlab sweep arguments', () => {
  it('pairs each --knob with its --values into a grid, with replicates', () => {
    expect(
      parseSweepArgs({ knob: ['a', 'b'], values: ['1,2', 'x,true'], replicates: '3' }),
    ).toEqual({
      grid: [
        { knob: 'a', values: [1, 2] },
        { knob: 'b', values: ['x', true] },
      ],
      replicates: 3,
    })
  })

  it.each([
    [
      { knob: ['a', 'b'], values: ['1'] },
      '--knob and --values come in pairs: got 2 --knob and 1 --values',
    ],
    [{ knob: ['a'], values: [' , '] }, '--values for a: give at least one value'],
    [
      { knob: ['a'], values: ['1'], replicates: '0' },
      '--replicates: "0" is not a whole number from 1 to 100',
    ],
    [
      { knob: ['a'], values: ['1'], replicates: '2.5' },
      '--replicates: "2.5" is not a whole number',
    ],
  ])('refuses %j with one sentence', (args, message) => {
    expect(() => parseSweepArgs(args)).toThrow(message)
  })
})

describe('sweep table', () => {
  const run = (id: number, v: number, x: number): RunDetail =>
    ({
      id,
      status: 'done',
      sweepPoint: { k: v },
      summary: { throughputOpsPerS: x, meanLatencyNs: 100, topTierHitRatio: 0.5, promotedBytes: 0 },
    }) as unknown as RunDetail

  it('shows each point as mean ± 95 % CI over its replicates', () => {
    const text = renderSweepTable(
      ['k'],
      [run(1, 1, 10), run(2, 1, 14), run(3, 2, 30), run(4, 2, 30)],
    )
    const lines = text.split('\n')
    expect(lines[0]).toMatch(/^k\s+done\/runs\s+throughput \(ops\/s\) \(mean ± 95% CI\)/)
    // mean 12, sd 2.828, t(1) = 12.706 → ± 25.41
    expect(lines[1]).toMatch(/^1\s+2\/2\s+12 ± 25\.41\d* \(n=2\)/)
    expect(lines[2]).toMatch(/^2\s+2\/2\s+30 ± 0 \(n=2\)/)
  })

  it('shows single runs as plain values with their id and status', () => {
    const text = renderSweepTable(['k'], [run(7, 1, 10), run(8, 2, 20)])
    expect(text.split('\n')[1].trimStart()).toMatch(/^7\s+1\s+done\s+10\s+100\s+—\s+0\.5\s+0$/)
  })
})
