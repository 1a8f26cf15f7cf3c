import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { parseDocumentText } from '../../../../../shared/formats'
import type { Topology } from '../../../../../shared/formats/topology'

const dir = join(__dirname, '../../../../../resources/presets/topologies')

function load(id: string): Topology {
  const res = parseDocumentText('topology', readFileSync(join(dir, `${id}.json`), 'utf8'))
  if (!res.ok) throw new Error(`${id}: ${JSON.stringify(res.issues)}`)
  return res.value
}

const tiersOf = (id: string) => analyzeTopology(load(id)).tiers.map((t) => [t.tier, t.nodes])

describe('topology presets', () => {
  it('ships exactly the five presets, each valid and documented, without warnings', () => {
    const ids = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort()
    expect(ids).toEqual(['1s-cxl', '2s-cxl', '2s-cxl-switch', '4-tier', 'grace-hopper'])
    for (const id of ids) {
      const t = load(id)
      expect(t.name.length).toBeGreaterThan(0)
      expect(t.description?.length ?? 0).toBeGreaterThan(0)
      // Sources are real ones (data sheets, papers, kernel files), never internal documents.
      expect(t.source?.length ?? 0).toBeGreaterThan(20)
      expect(t.source).not.toMatch(/tiering-facts|DESIGN\.md|reference\//)
      expect(analyzeTopology(t).warnings).toEqual([])
    }
  })

  it('1s-cxl: DRAM and a CZ120-like expander in two tiers', () => {
    // cxl0: 140 + 70 = 210 ns, Gen5 x8 31507 MB/s; DRAM 110 ns, 307200 MB/s.
    // 576 × 420 = 241920; / 220 = 1099; × 614400 = 675225600; / 63014 = 10715 → tier 83.
    const a = analyzeTopology(load('1s-cxl'))
    expect(a.nodes[1]).toMatchObject({ adistance: 10715, tier: 83 })
    expect(tiersOf('1s-cxl')).toEqual([
      [4, [0]],
      [83, [1]],
    ])
    expect(a.demotionTargets).toEqual({ '0': [1], '1': [] })
  })

  it('2s-cxl: both sockets in the DRAM tier, each demoting to its own expander', () => {
    expect(tiersOf('2s-cxl')).toEqual([
      [4, [0, 1]],
      [83, [2, 3]],
    ])
    // s0→cxl0 19, s0→cxl1 24 (265/110): the nearer expander is preferred.
    expect(analyzeTopology(load('2s-cxl')).demotionTargets).toEqual({
      '0': [2],
      '1': [3],
      '2': [],
      '3': [],
    })
  })

  it('2s-cxl-switch: the pooled expander is the demotion target of both sockets', () => {
    // pool0: 140 + 40 + 70 + 30 = 280 ns from either socket: 576 × 560 / 220 = 1466;
    // × 614400 = 900710400; / 63014 = 14293 → tier 111.
    const a = analyzeTopology(load('2s-cxl-switch'))
    expect(a.nodes[2]).toMatchObject({ adistance: 14293, tier: 111 })
    expect(a.demotionTargets).toEqual({ '0': [2], '1': [2], '2': [] })
  })

  it('grace-hopper: HBM as the CPU sees it lands below LPDDR5X', () => {
    // hopper from grace: 300 + 150 = 450 ns, min(3000, 450) = 450 GB/s; LPDDR5X 120 ns, 546 GB/s.
    // 576 × 900 = 518400; / 240 = 2160; × 1092000 = 2358720000 (< 2^32); / 900000 = 2620 → tier 20.
    const a = analyzeTopology(load('grace-hopper'))
    expect(a.nodes[1]).toMatchObject({ adistance: 2620, tier: 20, topTier: false })
    expect(a.nodes[1].access0?.readLatencyNs).toBe(300)
    expect(a.nodes[1].access1?.readLatencyNs).toBe(450)
    expect(a.demotionTargets).toEqual({ '0': [1], '1': [] })
  })

  it('4-tier: four tiers, each demoting to the next', () => {
    // acc0: 450 ns, 450 GB/s: 576 × 900 / 220 = 2356; × 614400 / 900000 = 1608 → tier 12.
    expect(tiersOf('4-tier')).toEqual([
      [4, [0]],
      [12, [1]],
      [83, [2]],
      [111, [3]],
    ])
    expect(analyzeTopology(load('4-tier')).demotionTargets).toEqual({
      '0': [1],
      '1': [2],
      '2': [3],
      '3': [],
    })
  })
})
