import { describe, expect, it } from 'vitest'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { parseDocument } from '../../../../../shared/formats'
import { cxl, gen5, memory, socket, topology, upi } from './build'

const base = () =>
  topology(
    [socket('s0'), socket('s1'), cxl('c0')],
    [upi('s0', 's1', 40, 60), gen5('s0', 'c0', 8, 70)],
  )

describe('measured SLIT and HMAT of an imported machine', () => {
  it('reports the machine own distances instead of derived ones', () => {
    const t = base()
    const derived = analyzeTopology(t).distance
    const slit = [
      [10, 21, 17],
      [21, 10, 28],
      [17, 28, 10],
    ]
    const a = analyzeTopology({ ...t, measured: { distance: slit } })
    expect(a.distance).toEqual(slit)
    expect(derived).not.toEqual(slit)
  })

  it('builds tiers from the measured access1 data, as the kernel would', () => {
    const t = base()
    // Derived: c0 is slower than DRAM and gets its own tier.
    expect(analyzeTopology(t).nodes[2].tier).toBeGreaterThan(4)
    // Firmware claims c0 performs like DRAM: the kernel puts it in the DRAM tier.
    const dramLike = analyzeTopology({
      ...t,
      measured: {
        access: [
          {
            component: 'c0',
            access1: {
              readLatencyNs: 110,
              writeLatencyNs: 110,
              readBandwidthMBps: 300000,
              writeBandwidthMBps: 300000,
            },
          },
        ],
      },
    })
    expect(dramLike.nodes[2].access1?.readLatencyNs).toBe(110)
    expect(dramLike.nodes[2].tier).toBe(4)
  })

  it('starts on-package HBM onlined at boot from the DRAM default, not the DAX one', () => {
    const noPerf = memory(140, 36, { reportsPerformance: false })
    const kmem = analyzeTopology(
      topology([socket('s0'), cxl('h0', noPerf)], [gen5('s0', 'h0', 8, 0)]),
    )
    const boot = analyzeTopology(
      topology(
        [socket('s0'), { ...cxl('h0', noPerf), onlining: 'boot' }],
        [gen5('s0', 'h0', 8, 0)],
      ),
    )
    expect(kmem.nodes[1].adistanceSource).toBe('dax-default')
    expect(boot.nodes[1].adistanceSource).toBe('dram-default')
  })

  it('rejects a SLIT of the wrong size and access for an unknown node', () => {
    const t = base()
    const res = parseDocument('topology', {
      ...t,
      measured: { distance: [[10, 20]], access: [{ component: 'nope' }] },
    })
    expect(res.ok).toBe(false)
    if (res.ok) return
    const text = res.issues.map((i) => `${i.path}: ${i.message}`).join('\n')
    expect(text).toMatch(/has 1 rows; the machine has 3 NUMA nodes/)
    expect(text).toMatch(/names "nope", which is not a memory node/)
  })
})
