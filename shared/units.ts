/** Unit conversions. Every quantity in Tierlab names its unit; these are the only conversions. */
export const KiB = 1024
export const MiB = 1024 * KiB
export const GiB = 1024 * MiB

/** GiB (binary, as capacities are written) to bytes. */
export function gibToBytes(gib: number): number {
  return Math.round(gib * GiB)
}

/** GB/s (decimal, as vendors quote bandwidth) to MB/s (decimal), as the kernel's HMAT values use. */
export function gbpsToMBps(gbps: number): number {
  return gbps * 1000
}

/** GB/s to bytes per nanosecond (1 GB/s = 1 byte/ns). */
export function gbpsToBytesPerNs(gbps: number): number {
  return gbps
}

/**
 * PCIe/CXL link bandwidth per direction in GB/s from generation and lane count:
 * lanes × GT/s ÷ 8 × encoding efficiency (tiering-facts.md §1 [CXL-AC], §7 [PCIE]).
 * Gen 1–2 use 8b/10b, Gen 3–5 128b/130b, Gen 6 FLIT mode (242 of 256 bytes carry payload).
 */
export const PCIE_GENERATIONS: Record<number, { gtPerS: number; encoding: number }> = {
  1: { gtPerS: 2.5, encoding: 8 / 10 },
  2: { gtPerS: 5, encoding: 8 / 10 },
  3: { gtPerS: 8, encoding: 128 / 130 },
  4: { gtPerS: 16, encoding: 128 / 130 },
  5: { gtPerS: 32, encoding: 128 / 130 },
  6: { gtPerS: 64, encoding: 242 / 256 },
}

export function linkBandwidthGBps(generation: number, lanes: number): number {
  const gen = PCIE_GENERATIONS[generation]
  if (!gen) throw new RangeError(`unknown PCIe/CXL generation ${generation}`)
  return (lanes * gen.gtPerS * gen.encoding) / 8
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes
  let i = 0
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`
}
