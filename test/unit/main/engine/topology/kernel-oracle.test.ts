import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { parseDocument } from '../../../../../shared/formats'
import { kernelOracle } from './kernel-oracle'
import { randomTopology } from './random-topology'

/**
 * 200 seeded random machines: the analysis must give every node the adistance and tier, and every
 * node the demotion targets, that an independent transcription of the kernel code computes
 * (kernel-oracle.ts). Expectations are computed by that oracle, not copied from the analysis.
 */
describe('topology analysis against an independent kernel oracle', () => {
  const seeds = Array.from({ length: 200 }, (_, i) => 1 + i * 7919)
  it.each(seeds)('agrees on random machine %i', (seed) => {
    const parsed = parseDocument('topology', randomTopology(seed))
    if (!parsed.ok)
      throw new Error(`generator made an invalid file: ${JSON.stringify(parsed.issues)}`)
    const a = analyzeTopology(parsed.value)
    const o = kernelOracle(parsed.value, a.distance)
    expect(a.nodes.map((n) => n.component)).toEqual(o.nodes.map((n) => n.component))
    expect(a.nodes.map((n) => n.access1)).toEqual(o.nodes.map((n) => n.access1))
    expect(a.nodes.map((n) => [n.node, n.adistance, n.tier])).toEqual(
      o.nodes.map((n) => [n.node, n.adistance, n.tier]),
    )
    expect(a.tiers.map((t) => [t.tier, t.nodes])).toEqual(o.tiers.map((t) => [t.tier, t.nodes]))
    expect(a.topTierAdistance).toBe(o.topTierAdistance)
    expect(a.demotionTargets).toEqual(o.demotionTargets)
  })

  it('covers the cases it is meant to cover', () => {
    // Guard against a generator that drifts into trivial machines.
    const results = seeds.map((s) => {
      const t = parseDocument('topology', randomTopology(s))
      if (!t.ok) throw new Error('invalid')
      return { t: t.value, a: analyzeTopology(t.value) }
    })
    const count = (f: (x: (typeof results)[number]) => boolean) => results.filter(f).length
    expect(count((x) => x.a.tiers.length >= 3)).toBeGreaterThan(20)
    expect(count((x) => x.a.warnings.some((w) => w.code === 'dram-perf-mismatch'))).toBeGreaterThan(
      5,
    )
    expect(
      count((x) => x.a.warnings.some((w) => w.code === 'no-performance-data')),
    ).toBeGreaterThan(5)
    expect(count((x) => x.a.nodes.some((n) => !n.hasMemory))).toBeGreaterThan(5)
    expect(
      count((x) => Object.values(x.a.demotionTargets).some((d) => d.length > 1)),
    ).toBeGreaterThan(5)
    expect(
      count((x) => x.t.components.some((c) => c.kind === 'gpu' && c.coherent)),
    ).toBeGreaterThan(20)
  })
})
