import { describe, expect, it } from 'vitest'
import { computePaths } from '../../../../../main/engine/topology'
import { cxl, cxlSwitch, gen5, gpu, link, memory, socket, topology, upi } from './build'

const GEN5_X8_GBPS = (8 * 32 * 128) / 130 / 8 // 31.5077 GB/s per direction
const GEN5_X16_GBPS = (16 * 32 * 128) / 130 / 8 // 63.0154 GB/s

function pathOf(paths: ReturnType<typeof computePaths>['paths'], initiator: string, node: number) {
  return paths.find((p) => p.initiator === initiator && p.node === node)
}

describe('computePaths', () => {
  const twoSocketsWithSwitch = topology(
    [
      socket('s0', memory(110, 307.2)),
      socket('s1', memory(110, 307.2)),
      cxlSwitch('sw0', 70),
      cxl('pool', memory(140, 36, { writeLatencyNs: 150, writeBandwidthGBps: 20 })),
    ],
    [upi('s0', 's1', 55, 55.7), gen5('s1', 'sw0', 16, 40), gen5('sw0', 'pool', 8, 30)],
  )

  it('adds link and switch latency and takes the minimum bandwidth through a switch', () => {
    const { paths } = computePaths(twoSocketsWithSwitch)
    const p = pathOf(paths, 's1', 2)
    expect(p?.hops).toEqual(['s1', 'sw0', 'pool'])
    expect(p?.links).toEqual([1, 2])
    // read: 140 device + 40 link + 70 switch + 30 link = 280; write: 150 + 140 = 290
    expect(p?.readLatencyNs).toBe(280)
    expect(p?.writeLatencyNs).toBe(290)
    // read: min(36, x16 63.0, x8 31.5) = 31.5077 GB/s; write: min(20, ...) = 20 GB/s
    expect(p?.readBandwidthMBps).toBeCloseTo(GEN5_X8_GBPS * 1000, 6)
    expect(p?.writeBandwidthMBps).toBe(20000)
    expect(GEN5_X16_GBPS).toBeGreaterThan(GEN5_X8_GBPS)
  })

  it('crosses UPI to remote DRAM and to a device behind the other socket', () => {
    const { paths } = computePaths(twoSocketsWithSwitch)
    // s0 → s1's DRAM: 110 + 55 = 165 ns, min(307.2, 55.7) = 55.7 GB/s
    expect(pathOf(paths, 's0', 1)).toMatchObject({
      hops: ['s0', 's1'],
      links: [0],
      readLatencyNs: 165,
      readBandwidthMBps: 55700,
    })
    // s0 → pool: 140 + 55 + 40 + 70 + 30 = 335 ns, min(36, 55.7, 63.0, 31.5) = 31.5 GB/s
    const p = pathOf(paths, 's0', 2)
    expect(p?.hops).toEqual(['s0', 's1', 'sw0', 'pool'])
    expect(p?.readLatencyNs).toBe(335)
    expect(p?.readBandwidthMBps).toBeCloseTo(GEN5_X8_GBPS * 1000, 6)
  })

  it('picks the lowest latency, then the highest bandwidth', () => {
    // Two routes s0 → c0: direct (latency 100, 10 GB/s) and via sw0 (50 + 0 + 50 = 100, 20 GB/s).
    const topo = topology(
      [socket('s0'), cxlSwitch('sw0', 0), cxl('c0', memory(100, 36))],
      [link('s0', 'c0', 100, 10), link('s0', 'sw0', 50, 20), link('sw0', 'c0', 50, 30)],
    )
    const p = pathOf(computePaths(topo).paths, 's0', 1)
    expect(p?.hops).toEqual(['s0', 'sw0', 'c0'])
    expect(p?.readBandwidthMBps).toBe(20000) // min(36, 20, 30) GB/s
    // Make the switch route 1 ns slower: latency wins over bandwidth.
    const slower = topology(
      [socket('s0'), cxlSwitch('sw0', 1), cxl('c0', memory(100, 36))],
      [link('s0', 'c0', 100, 10), link('s0', 'sw0', 50, 20), link('sw0', 'c0', 50, 30)],
    )
    expect(pathOf(computePaths(slower).paths, 's0', 1)?.hops).toEqual(['s0', 'c0'])
  })

  it('never passes through a memory expander or a GPU that is not the endpoint', () => {
    const topo = topology(
      [socket('s0'), cxl('c0'), cxl('c1'), gpu('g0', true), cxl('c2')],
      [
        link('s0', 'c0', 70, 32),
        link('c0', 'c1', 10, 32),
        link('s0', 'g0', 100, 450),
        link('g0', 'c2', 10, 64),
      ],
    )
    const { paths } = computePaths(topo)
    // Nodes: s0 0, c0 1, c1 2, g0 3, c2 4. c1 sits behind c0, c2 behind the GPU.
    expect(pathOf(paths, 's0', 2)).toBeUndefined()
    expect(pathOf(paths, 's0', 4)).toBeUndefined()
    // The GPU itself starts a path, so it reaches c2 (140 + 10 = 150 ns) and s0's DRAM.
    expect(pathOf(paths, 'g0', 4)?.readLatencyNs).toBe(150)
    expect(pathOf(paths, 'g0', 0)?.hops).toEqual(['g0', 's0'])
  })

  it('records per link which initiator→node paths cross it, and from which side', () => {
    const { links } = computePaths(twoSocketsWithSwitch)
    expect(links[0].bandwidthGBps).toBe(55.7)
    expect(links[0].crossings).toEqual([
      { initiator: 's0', node: 1, from: 's0' },
      { initiator: 's0', node: 2, from: 's0' },
      { initiator: 's1', node: 0, from: 's1' },
    ])
    expect(links[0].nodes).toEqual([0, 1, 2])
    // Derived bandwidth: 8 lanes × 32 GT/s × 128/130 ÷ 8.
    expect(links[2].bandwidthGBps).toBeCloseTo(GEN5_X8_GBPS, 9)
    expect(links[2].nodes).toEqual([2])
  })
})

describe('computePaths through a shared CXL switch', () => {
  it('never routes one socket to another through a switch both attach to', () => {
    // s0 and s1 share a switch (4 + 1 + 4 = 9 ns) but their UPI link costs 50 ns. A switch does not
    // forward one host's requests to another host, so s0 → s1's DRAM goes over UPI: 100 + 50 = 150.
    const t = topology(
      [socket('s0', memory(100, 300)), socket('s1', memory(100, 300)), cxlSwitch('sw0', 1)],
      [upi('s0', 's1', 50, 60), gen5('s0', 'sw0', 16, 4), gen5('s1', 'sw0', 16, 4)],
    )
    const p = pathOf(computePaths(t).paths, 's0', 1)
    expect(p?.hops).toEqual(['s0', 's1'])
    expect(p?.readLatencyNs).toBe(150)
  })

  it('still lets a GPU behind the switch reach the hosts above it', () => {
    // g0 → sw0 → s1: 5 + 1 (switch) + 4 = 10 ns of path, + 100 ns DRAM = 110 ns.
    const t = topology(
      [
        socket('s0', memory(100, 300)),
        socket('s1', memory(100, 300)),
        cxlSwitch('sw0', 1),
        gpu('g0', false),
      ],
      [
        upi('s0', 's1', 50, 60),
        gen5('s0', 'sw0', 16, 4),
        gen5('s1', 'sw0', 16, 4),
        link('sw0', 'g0', 5, 60),
      ],
    )
    const p = pathOf(computePaths(t).paths, 'g0', 1)
    expect(p?.hops).toEqual(['g0', 'sw0', 's1'])
    expect(p?.readLatencyNs).toBe(110)
  })
})
