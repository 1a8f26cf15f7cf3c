import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { bestCoordinate, hmatCoordinate } from '../../../../../main/engine/topology/access'
import { gen5, gpu, link, memory, socket, topology } from './build'

describe('access coordinates (HMAT access0 / access1)', () => {
  it('access0 is the GPU when it is closer to its HBM than any CPU; access1 is the best CPU', () => {
    // s0 reaches g0's HBM over a 40 ns, 900 GB/s link: 100 + 40 = 140 ns, min(3000, 900) GB/s.
    // g0 reaches it directly: 100 ns, 3000 GB/s.
    const a = analyzeTopology(
      topology([socket('s0'), gpu('g0', true, memory(100, 3000))], [link('s0', 'g0', 40, 900)]),
    )
    const hbm = a.nodes[1]
    expect(hbm.access0).toEqual({
      readLatencyNs: 100,
      writeLatencyNs: 100,
      readBandwidthMBps: 3_000_000,
      writeBandwidthMBps: 3_000_000,
    })
    expect(hbm.access1).toEqual({
      readLatencyNs: 140,
      writeLatencyNs: 140,
      readBandwidthMBps: 900_000,
      writeBandwidthMBps: 900_000,
    })
    // A socket's DRAM names its own socket as the attached initiator: both classes are local.
    expect(a.nodes[0].access0).toEqual(a.nodes[0].access1)
    expect(a.nodes[0].access1?.readLatencyNs).toBe(110)
  })

  it('rounds like the kernel sees HMAT: latency up to whole ns, MB/s down', () => {
    // 140 ns device + 70.3 ns link = 210.3 ns → 211; Gen5 x8 = 31.5077 GB/s → 31507 MB/s.
    const a = analyzeTopology(
      topology(
        [socket('s0'), { id: 'c0', kind: 'cxl-memory', memory: memory(140, 36) }],
        [gen5('s0', 'c0', 8, 70.3)],
      ),
    )
    expect(a.paths.find((p) => p.node === 1)?.readLatencyNs).toBeCloseTo(210.3, 9)
    expect(a.nodes[1].access1).toEqual({
      readLatencyNs: 211,
      writeLatencyNs: 211,
      readBandwidthMBps: 31507,
      writeBandwidthMBps: 31507,
    })
    // 100.1 + 0.2 is 100.30000000000001 in floats: still 101. 4.608 × 1000 is 4608.000000000001 and
    // 0.512 × 1000 is 512.0000000000001: float noise must not move a whole MB/s.
    expect(
      hmatCoordinate({
        initiator: 'x',
        node: 0,
        hops: [],
        links: [],
        readLatencyNs: 100.1 + 0.2,
        writeLatencyNs: 100,
        readBandwidthMBps: 4.608 * 1000,
        writeBandwidthMBps: 0.512 * 1000,
      }),
    ).toEqual({
      readLatencyNs: 101,
      writeLatencyNs: 100,
      readBandwidthMBps: 4608,
      writeBandwidthMBps: 512,
    })
  })

  it('narrows candidates metric by metric in the kernel order (write latency decides first)', () => {
    const entry = (lat: number, bw: number) => ({
      readLatencyNs: lat,
      writeLatencyNs: lat,
      readBandwidthMBps: bw,
      writeBandwidthMBps: bw,
    })
    // A and B tie on latency 100; C has 90 ns, so only C survives the latency metrics and its
    // 10 MB/s becomes the bandwidth, although B offers 80.
    const coord = bestCoordinate(
      [
        { initiator: 'A', hasCpu: true, entry: entry(100, 50) },
        { initiator: 'B', hasCpu: true, entry: entry(100, 80) },
        { initiator: 'C', hasCpu: true, entry: entry(90, 10) },
      ],
      true,
    )
    expect(coord).toEqual(entry(90, 10))
    // Without C, A and B tie on latency and the bandwidth metrics pick B's 80.
    expect(
      bestCoordinate(
        [
          { initiator: 'A', hasCpu: true, entry: entry(100, 50) },
          { initiator: 'B', hasCpu: true, entry: entry(100, 80) },
        ],
        true,
      ),
    ).toEqual(entry(100, 80))
    // Access class 1 ignores initiators without CPUs; with none left there is no coordinate.
    expect(
      bestCoordinate([{ initiator: 'G', hasCpu: false, entry: entry(50, 999) }], true),
    ).toBeNull()
  })
})
