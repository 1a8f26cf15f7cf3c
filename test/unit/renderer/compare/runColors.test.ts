import { describe, expect, it } from 'vitest'
import { runColor } from '../../../../renderer/src/features/compare/model/runColors'

describe('run colours', () => {
  it('gives the 13 runs of the policy-library example 13 different colours, then repeats', () => {
    const colours = Array.from({ length: 13 }, (_, i) => runColor(i))
    expect(new Set(colours).size).toBe(13)
    expect(runColor(13)).toBe(runColor(0))
    expect(runColor(-1)).toBe(runColor(12))
  })
})
