import { describe, expect, it } from 'vitest'
import { formatNodelist } from '../../../../renderer/src/lib/nodelist'

describe('formatNodelist', () => {
  it('prints runs as ranges, like the kernel nodemask format', () => {
    expect(formatNodelist([0, 1, 2, 5])).toBe('0-2,5')
    expect(formatNodelist([3])).toBe('3')
    expect(formatNodelist([])).toBe('')
  })
  it('sorts and drops duplicates first', () => {
    expect(formatNodelist([7, 4, 6, 4, 1])).toBe('1,4,6-7')
  })
})
