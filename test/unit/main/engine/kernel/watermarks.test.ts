import { describe, expect, it } from 'vitest'
import { minFreeKbytes, zoneWatermarks } from '../../../../../main/engine/kernel'

const GiB = 2 ** 30
const PAGE = 4096

describe('minFreeKbytes', () => {
  it('is int_sqrt(lowmem_KB × 16) clamped to [128, 262144]', () => {
    // 16 GiB = 16777216 KB; × 16 = 268435456; sqrt = 16384.
    expect(minFreeKbytes(16 * GiB)).toBe(16384)
    // 64 GiB: sqrt(67108864 × 16) = 32768.
    expect(minFreeKbytes(64 * GiB)).toBe(32768)
    // 512 KiB: sqrt(512 × 16) = 90.5 → 90, clamped up to 128.
    expect(minFreeKbytes(512 * 1024)).toBe(128)
    // 16 TiB: sqrt(17179869184 × 16) = 524288, clamped down to 262144 (256 MB).
    expect(minFreeKbytes(16 * 1024 * GiB)).toBe(262144)
  })
})

describe('zoneWatermarks', () => {
  it('computes MIN/LOW/HIGH/PROMO/DEMOTE for a 16 GiB single-node machine', () => {
    const w = zoneWatermarks(16 * GiB)
    // pages_min = 16384 KB / 4 = 4096 pages; managed = 4194304 pages.
    // δ = max(4096/4 = 1024, floor(4194304 × 10 / 10000) = 4194) = 4194.
    expect(w.minBytes).toBe(4096 * PAGE)
    expect(w.lowBytes).toBe((4096 + 4194) * PAGE)
    expect(w.highBytes).toBe((4096 + 2 * 4194) * PAGE)
    expect(w.promoBytes).toBe((4096 + 3 * 4194) * PAGE)
    // DEMOTE = clamp(floor(4194304 × 200 / 10000) = 83886, 2·HIGH = 24968, managed) = 83886.
    expect(w.demoteBytes).toBe(83886 * PAGE)
  })

  it('splits the machine-wide min_free_kbytes over nodes by size', () => {
    // 16 GiB node in a 64 GiB machine: pages_min = 32768/4 = 8192; share = 8192 × 1/4 = 2048.
    const w = zoneWatermarks(16 * GiB, { totalLowmemBytes: 64 * GiB })
    expect(w.minBytes).toBe(2048 * PAGE)
    // δ = max(2048/4 = 512, 4194) = 4194.
    expect(w.lowBytes).toBe((2048 + 4194) * PAGE)
    // The quarter-sized node gets exactly a quarter of the machine-wide min.
    const big = zoneWatermarks(48 * GiB, { totalLowmemBytes: 64 * GiB })
    expect(big.minBytes).toBe(6144 * PAGE)
  })

  it('follows watermark_scale_factor and an explicit min_free_kbytes', () => {
    // 1 GiB, min_free_kbytes 65536 → pages_min 16384; managed 262144 pages.
    // scale 100 (1 %): δ = max(16384/4 = 4096, floor(262144 × 100/10000) = 2621) = 4096.
    const w = zoneWatermarks(GiB, { minFreeKbytes: 65536, watermarkScaleFactor: 100 })
    expect(w.minBytes).toBe(16384 * PAGE)
    expect(w.promoBytes).toBe((16384 + 3 * 4096) * PAGE)
    // DEMOTE: floor(262144 × 200/10000) = 5242 < 2·HIGH = 49152 → 49152.
    expect(w.demoteBytes).toBe(49152 * PAGE)
    expect(() => zoneWatermarks(2 * GiB, { totalLowmemBytes: GiB })).toThrow(/totalLowmemBytes/)
  })
})
