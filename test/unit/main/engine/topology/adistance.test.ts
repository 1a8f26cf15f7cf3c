import { describe, expect, it } from 'vitest'
import { analyzeTopology, mtPerfToAdistance } from '../../../../../main/engine/topology'
import { dramPerfMismatch } from '../../../../../main/engine/topology/adistance'
import { cxl, gpu, link, memory, socket, topology } from './build'

const coord = (lat: number, bwMBps: number) => ({
  readLatencyNs: lat,
  writeLatencyNs: lat,
  readBandwidthMBps: bwMBps,
  writeBandwidthMBps: bwMBps,
})

describe('abstract distance (mt_perf_to_adistance)', () => {
  it('reproduces the worked example: DRAM 128 ns / 4608 MB/s, CXL 256 ns / 512 MB/s → 10368, tier 81', () => {
    // DRAM device 128 ns, 4.608 GB/s. CXL: device 200 ns + link 56 ns = 256 ns; device 0.512 GB/s
    // on a 32 GB/s link, so access1 = 256 ns, 512 MB/s.
    // 576 × 512 = 294912; / 256 = 1152; × 9216 = 10616832; / 1024 = 10368; 10368 >> 7 = 81.
    const a = analyzeTopology(
      topology(
        [socket('s0', memory(128, 4.608)), cxl('c0', memory(200, 0.512))],
        [link('s0', 'c0', 56, 32)],
      ),
    )
    expect(a.dramReference).toEqual(coord(128, 4608))
    expect(a.nodes[1].access1).toEqual(coord(256, 512))
    expect(a.nodes[1]).toMatchObject({ adistance: 10368, tier: 81, adistanceSource: 'performance' })
    expect(a.nodes[0]).toMatchObject({ adistance: 576, tier: 4, adistanceSource: 'performance' })
    expect(a.tiers).toEqual([
      { tier: 4, adistanceStart: 512, nodes: [0] },
      { tier: 81, adistanceStart: 10368, nodes: [1] },
    ])
  })

  it('truncates at every step, which can give a different tier than the real-valued formula', () => {
    // DRAM 100/100 ns, 100000/100000 MB/s. Node 101/101 ns, 1000/1000 MB/s.
    // Kernel: 576 × 202 = 116352; / 200 = 581 (581.76 cut); × 200000 = 116200000; / 2000 = 58100
    //         → tier 58100 >> 7 = 453.
    // Reals:  576 × 202/200 × 200000/2000 = 58176 → tier 454.
    expect(mtPerfToAdistance(coord(101, 1000), coord(100, 100000))).toBe(58100)
    // The same through a topology: DRAM 100 ns / 100 GB/s; node 51 + 50 = 101 ns, 1 GB/s.
    const a = analyzeTopology(
      topology(
        [socket('s0', memory(100, 100)), cxl('c0', memory(51, 1))],
        [link('s0', 'c0', 50, 64)],
      ),
    )
    expect(a.nodes[1]).toMatchObject({ adistance: 58100, tier: 453 })
    expect(a.tiers.map((t) => t.tier)).toEqual([4, 453])
  })

  it('wraps the 32-bit unsigned product like the kernel', () => {
    // DRAM 128/128 ns, 1000000/1000000 MB/s; node 2000/2000 ns, 10000/10000 MB/s.
    // 576 × 4000 = 2304000; / 256 = 9000; × 2000000 = 18000000000 ≡ 18000000000 − 4 × 2^32
    // = 820130816 (mod 2^32); / 20000 = 41006 (tier 320). Without the wrap it would be 900000.
    expect(mtPerfToAdistance(coord(2000, 10000), coord(128, 1000000))).toBe(41006)
    // The same through a topology: DRAM 128 ns / 1000 GB/s; node 1900 + 100 = 2000 ns, 10 GB/s
    // behind a 64 GB/s link. The analysis must keep the wrapped value and derive its tier from it.
    const a = analyzeTopology(
      topology(
        [socket('s0', memory(128, 1000)), cxl('c0', memory(1900, 10))],
        [link('s0', 'c0', 100, 64)],
      ),
    )
    expect(a.nodes[1].access1).toEqual(coord(2000, 10000))
    expect(a.nodes[1]).toMatchObject({
      adistance: 41006,
      tier: 320,
      adistanceSource: 'performance',
    })
  })

  it('returns no result for a node without data (the kernel returns -EINVAL)', () => {
    expect(mtPerfToAdistance(coord(0, 0), coord(110, 300000))).toBeNull()
  })
})

describe('DRAM reference and the > 10 % rule', () => {
  it('compares |x − ref| × 10 > ref per metric, in both directions', () => {
    const ref = coord(110, 300000)
    // |121 − 110| × 10 = 110, not > 110: agrees. |122 − 110| × 10 = 120 > 110: differs.
    expect(dramPerfMismatch(coord(121, 300000), ref)).toBe(false)
    expect(dramPerfMismatch(coord(122, 300000), ref)).toBe(true)
    // Faster than the reference: the unsigned difference wraps, abs() of it as int gives 11 and 12.
    expect(dramPerfMismatch(coord(99, 300000), ref)).toBe(false)
    expect(dramPerfMismatch(coord(98, 300000), ref)).toBe(true)
    // Bandwidth: |270000 − 300000| × 10 = 300000, not > 300000; 269999 → 300010 > 300000.
    expect(dramPerfMismatch(coord(110, 270000), ref)).toBe(false)
    expect(dramPerfMismatch(coord(110, 269999), ref)).toBe(true)
  })

  function twoSockets(s1LatencyNs: number) {
    return analyzeTopology(
      topology(
        [socket('s0'), socket('s1', memory(s1LatencyNs, 300)), cxl('c0', memory(140, 36))],
        [
          { a: 's0', b: 's1', kind: 'upi', latencyNs: 55, bandwidthGBps: 60 },
          link('s0', 'c0', 70, 32),
        ],
      ),
    )
  }

  it('keeps performance-based distances when the DRAM nodes agree within 10 %', () => {
    const a = twoSockets(121)
    // s1: 576 × 242 = 139392; / 220 = 633; × 600000 = 379800000; / 600000 = 633 → tier 4.
    expect(a.nodes[1]).toMatchObject({ adistance: 633, tier: 4, adistanceSource: 'performance' })
    // c0: 210 ns, 32 GB/s: 576 × 420 / 220 = 1099; × 600000 / 64000 = 10303 → tier 80.
    expect(a.nodes[2]).toMatchObject({ adistance: 10303, tier: 80 })
    expect(a.dramReferenceNode).toBe(0)
    expect(a.warnings.map((w) => w.code)).not.toContain('dram-perf-mismatch')
  })

  it('falls back to the defaults for every node when two DRAM nodes differ by more than 10 %', () => {
    const a = twoSockets(122)
    expect(a.nodes.map((n) => [n.adistance, n.adistanceSource])).toEqual([
      [576, 'dram-default'],
      [576, 'dram-default'],
      [2880, 'dax-default'],
    ])
    expect(a.tiers.map((t) => [t.tier, t.nodes])).toEqual([
      [4, [0, 1]],
      [22, [2]],
    ])
    const w = a.warnings.find((x) => x.code === 'dram-perf-mismatch')
    expect(w?.components).toEqual(['s0', 's1'])
  })
})

describe('memory without performance data', () => {
  it('puts a CXL expander onlined by dax/kmem at 2880 (tier 22)', () => {
    const a = analyzeTopology(
      topology(
        [socket('s0'), cxl('c0', memory(140, 36, { reportsPerformance: false }))],
        [link('s0', 'c0', 70, 32)],
      ),
    )
    expect(a.nodes[1]).toMatchObject({
      adistance: 2880,
      tier: 22,
      adistanceSource: 'dax-default',
      performanceReported: false,
    })
    // The hardware numbers stay visible: 140 + 70 = 210 ns.
    expect(a.nodes[1].access1?.readLatencyNs).toBe(210)
    expect(a.warnings.map((w) => w.code)).toEqual(['no-performance-data'])
  })

  it('puts coherent GPU memory (boot memory) at 576, in the DRAM tier', () => {
    const a = analyzeTopology(
      topology(
        [socket('s0'), gpu('g0', true, memory(300, 3000, { reportsPerformance: false }))],
        [link('s0', 'g0', 150, 450)],
      ),
    )
    expect(a.nodes[1]).toMatchObject({ adistance: 576, tier: 4, adistanceSource: 'dram-default' })
    expect(a.warnings.map((w) => w.code).sort()).toEqual(['no-performance-data', 'single-tier'])
  })

  it('leaves every node at its default when the only DRAM node has no data', () => {
    const a = analyzeTopology(
      topology(
        [socket('s0', memory(110, 300, { reportsPerformance: false })), cxl('c0')],
        [link('s0', 'c0', 70, 32)],
      ),
    )
    expect(a.dramReference).toBeNull()
    expect(a.nodes.map((n) => [n.adistance, n.adistanceSource])).toEqual([
      [576, 'dram-default'],
      [2880, 'dax-default'],
    ])
  })

  it('drops the HMAT notifier when a later DRAM node has no data, but CXL keeps its CDAT distance', () => {
    // s0 sets the reference; s1 has no data, so hmat_set_default_dram_perf() fails and the HMAT
    // notifier is not registered: the sockets and the GPU keep 576. The CXL region notifier still
    // computes c0 against s0: 576 × 420 / 220 = 1099; × 600000 / 64000 = 10303.
    const a = analyzeTopology(
      topology(
        [
          socket('s0'),
          socket('s1', memory(110, 300, { reportsPerformance: false })),
          cxl('c0'),
          gpu('g0', true, memory(100, 3000)),
        ],
        [
          { a: 's0', b: 's1', kind: 'upi', latencyNs: 55, bandwidthGBps: 60 },
          link('s0', 'c0', 70, 32),
          link('s0', 'g0', 40, 900),
        ],
      ),
    )
    expect(a.dramReferenceNode).toBe(0)
    expect(a.nodes.map((n) => [n.component, n.adistance, n.adistanceSource])).toEqual([
      ['s0', 576, 'dram-default'],
      ['s1', 576, 'dram-default'],
      ['c0', 10303, 'performance'],
      ['g0', 576, 'dram-default'],
    ])
  })
})
