import { linkBandwidthGBps } from '../../../../../shared/units'
import type { LinkKind } from '../../../../../shared/formats'
import type { DraftKind, DraftLink } from './editorDocument'

export const LINK_KIND_LABELS: Record<LinkKind, string> = {
  upi: 'UPI (socket to socket)',
  cxl: 'CXL',
  pcie: 'PCIe',
  'nvlink-c2c': 'NVLink-C2C',
}

/** The kinds a link between these two components may have (UPI only joins sockets). */
export function allowedLinkKinds(a: DraftKind, b: DraftKind): LinkKind[] {
  if (a === 'socket' && b === 'socket') return ['upi', 'cxl', 'pcie', 'nvlink-c2c']
  return ['cxl', 'pcie', 'nvlink-c2c']
}

/**
 * The kind a new link most likely has, from what it joins. GPUs get PCIe, as nearly every GPU is
 * attached; NVLink-C2C (Grace Hopper) is one pick away in the link dialog.
 */
export function suggestLinkKind(a: DraftKind, b: DraftKind): LinkKind {
  if (a === 'socket' && b === 'socket') return 'upi'
  if (a === 'gpu' || b === 'gpu') return 'pcie'
  return 'cxl'
}

/** A new link of the given kind with figures a user can start from (tiering-facts.md §7). */
export function defaultLink(a: string, b: string, kind: LinkKind): DraftLink {
  switch (kind) {
    case 'upi':
      // [ICX] Ice Lake: 89 ns local vs 143 ns remote → the UPI hop adds 54 ns; 55.7 GB/s cross-socket.
      return { a, b, kind, latencyNs: 54, bandwidthGBps: 55.7 }
    case 'cxl':
      // DESIGN.md §8 example (Gen5 x8, 70 ns); [CZ120] is a Gen5 x8 device.
      return { a, b, kind, generation: 5, lanes: 8, latencyNs: 70 }
    case 'pcie':
      // [PCIE] Gen5 x16 ≈ 63 GB/s per direction; the latency is an editor default, not a measurement.
      return { a, b, kind, generation: 5, lanes: 16, latencyNs: 100 }
    case 'nvlink-c2c':
      // [GH] NVLink-C2C 900 GB/s total, 450 per direction; latency from DESIGN.md §8's example.
      return { a, b, kind, latencyNs: 150, bandwidthGBps: 450 }
  }
}

/**
 * A link's bandwidth per direction in GB/s: the given one, else derived from generation × lanes
 * (shared/units.ts); null when neither is usable.
 */
export function effectiveBandwidthGBps(link: DraftLink): { gbps: number; derived: boolean } | null {
  if (typeof link.bandwidthGBps === 'number' && Number.isFinite(link.bandwidthGBps))
    return { gbps: link.bandwidthGBps, derived: false }
  if ((link.kind === 'cxl' || link.kind === 'pcie') && link.generation && link.lanes) {
    try {
      return { gbps: linkBandwidthGBps(link.generation, link.lanes), derived: true }
    } catch {
      return null
    }
  }
  return null
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : String(Math.round(value * 10) / 10)
}

/** The edge label: kind (with generation × lanes), latency and bandwidth with units. */
export function linkLabel(link: DraftLink): string {
  const kind =
    link.kind === 'cxl' || link.kind === 'pcie'
      ? `${link.kind.toUpperCase()}${link.generation ? ` ${link.generation}` : ''}${link.lanes ? ` x${link.lanes}` : ''}`
      : link.kind.toUpperCase()
  const latency = typeof link.latencyNs === 'number' ? `${round(link.latencyNs)} ns` : '? ns'
  const bw = effectiveBandwidthGBps(link)
  const bandwidth = bw ? `${bw.derived ? '≈' : ''}${round(bw.gbps)} GB/s` : '? GB/s'
  return `${kind} · ${latency} · ${bandwidth}`
}
