import { describe, expect, it } from 'vitest'
import { tierColor, tierColorAt, tierRank } from '../../../../renderer/src/lib/tier-colors'

// Tier ids of a machine with DRAM (576 >> 7 = 4), HBM seen from the CPU (tier 12) and two CXL
// expanders (tiers 83 and 111): sparse ids, so colours follow the rank.
const tiers = [{ tier: 83 }, { tier: 4 }, { tier: 111 }, { tier: 12 }]

describe('tier colours', () => {
  it('ranks tiers by id, fastest first', () => {
    expect([4, 12, 83, 111, 5].map((id) => tierRank(id, tiers))).toEqual([0, 1, 2, 3, -1])
  })

  it("gives the top tier lstopo's Package green and every tier its own colour", () => {
    // lstopo draws packages #d2e7a4 (formats-and-ux.md §4.2).
    expect(tierColor(4, tiers).light).toBe('#d2e7a4')
    const lights = tiers.map((t) => tierColor(t.tier, tiers).light)
    expect(new Set(lights).size).toBe(4)
  })

  it('matches the heatmap ordinal: tier id at rank r has tierColorAt(r)', () => {
    expect(tierColor(83, tiers)).toEqual(tierColorAt(2))
    // Beyond the palette every tier shares a neutral grey instead of failing.
    expect(tierColorAt(40)).toEqual(tierColorAt(41))
  })
})
