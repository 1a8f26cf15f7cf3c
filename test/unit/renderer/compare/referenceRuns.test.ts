import { describe, expect, it } from 'vitest'
import { defaultBaselineId } from '../../../../renderer/src/features/compare/model/referenceRuns'

describe('the default baseline of a comparison', () => {
  it('is first-touch when compared, wherever it stands', () => {
    expect(
      defaultBaselineId([
        { id: 9, policyId: 'oracle' },
        { id: 8, policyId: 'numa-balancing-tiering' },
        { id: 7, policyId: 'first-touch' },
      ]),
    ).toBe(7)
  })

  it('is the first real policy otherwise, never the oracle while a real one is there', () => {
    expect(
      defaultBaselineId([
        { id: 9, policyId: 'oracle' },
        { id: 8, policyId: 'interleave' },
      ]),
    ).toBe(8)
    expect(defaultBaselineId([{ id: 9, policyId: 'oracle' }])).toBe(9)
    expect(defaultBaselineId([])).toBeNull()
  })
})
