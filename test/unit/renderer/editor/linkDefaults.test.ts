import { describe, expect, it } from 'vitest'
import { linkSchema } from '../../../../shared/formats'
import {
  allowedLinkKinds,
  defaultLink,
  effectiveBandwidthGBps,
  linkLabel,
  suggestLinkKind,
} from '../../../../renderer/src/features/editor/model/linkDefaults'

describe('link defaults', () => {
  it('suggests UPI between sockets, CXL to expanders and switches, PCIe for GPUs', () => {
    expect(suggestLinkKind('socket', 'socket')).toBe('upi')
    expect(suggestLinkKind('socket', 'cxl-memory')).toBe('cxl')
    expect(suggestLinkKind('cxl-switch', 'cxl-memory')).toBe('cxl')
    expect(suggestLinkKind('gpu', 'socket')).toBe('pcie')
    expect(suggestLinkKind('socket', 'gpu')).toBe('pcie')
    expect(suggestLinkKind('gpu', 'cxl-switch')).toBe('pcie')
  })

  it('offers UPI only between two sockets', () => {
    expect(allowedLinkKinds('socket', 'socket')).toContain('upi')
    expect(allowedLinkKinds('socket', 'cxl-memory')).not.toContain('upi')
  })

  it('gives every kind a default that the link schema accepts', () => {
    for (const kind of ['upi', 'cxl', 'pcie', 'nvlink-c2c'] as const) {
      const res = linkSchema.safeParse(defaultLink('a', 'b', kind))
      expect(res.success, kind).toBe(true)
    }
  })

  it('derives CXL/PCIe bandwidth from generation × lanes when none is given', () => {
    // PCIe Gen5 x16: 16 × 32 GT/s × 128/130 ÷ 8 = 63.02 GB/s
    const pcie = effectiveBandwidthGBps(defaultLink('a', 'b', 'pcie'))!
    expect(pcie.derived).toBe(true)
    expect(pcie.gbps).toBeCloseTo(63.015, 2)
    // An explicit bandwidth wins over the derivation.
    expect(effectiveBandwidthGBps({ ...defaultLink('a', 'b', 'cxl'), bandwidthGBps: 20 })).toEqual({
      gbps: 20,
      derived: false,
    })
    // NVLink-C2C has no generation: only the given 450 GB/s.
    expect(effectiveBandwidthGBps(defaultLink('a', 'b', 'nvlink-c2c'))).toEqual({
      gbps: 450,
      derived: false,
    })
  })

  it('labels an incomplete link with question marks instead of numbers', () => {
    expect(linkLabel({ a: 'a', b: 'b', kind: 'cxl', latencyNs: 70 })).toBe('CXL · 70 ns · ? GB/s')
  })
})
