import type { MemoryKind } from './facts'

/**
 * Numbers the model needs that machine files rarely carry. Each use is listed as a warning naming
 * the field to fill in (from `mlc --latency_matrix`, HMAT, or a datasheet). Device latencies are
 * idle loaded-to-use latencies; bandwidths per node, per direction.
 */
export interface MemoryDefaults {
  media: string
  readLatencyNs: number
  writeLatencyNs: number
  readBandwidthGBps: number
  writeBandwidthGBps: number
}

export const MEMORY_DEFAULTS: Record<MemoryKind, MemoryDefaults> = {
  // tiering-facts.md §7 [ICX]: 91 ns idle on Ice Lake 2S; a round 110 ns for current DDR5 sockets.
  dram: {
    media: 'DDR5',
    readLatencyNs: 110,
    writeLatencyNs: 110,
    readBandwidthGBps: 200,
    writeBandwidthGBps: 200,
  },
  hbm: {
    media: 'HBM',
    readLatencyNs: 130,
    writeLatencyNs: 130,
    readBandwidthGBps: 400,
    writeBandwidthGBps: 400,
  },
  cxl: {
    media: 'CXL DRAM',
    readLatencyNs: 100,
    writeLatencyNs: 100,
    readBandwidthGBps: 30,
    writeBandwidthGBps: 30,
  },
  pmem: {
    media: 'PMEM',
    readLatencyNs: 300,
    writeLatencyNs: 500,
    readBandwidthGBps: 30,
    writeBandwidthGBps: 10,
  },
  gpu: {
    media: 'HBM3',
    readLatencyNs: 300,
    writeLatencyNs: 300,
    readBandwidthGBps: 3000,
    writeBandwidthGBps: 3000,
  },
}

/** Socket-to-socket link when the files give no bandwidth (one UPI/Infinity Fabric bundle). */
export const DEFAULT_UPI_GBPS = 60
/** A CXL link's added latency when only the SLIT hints at it: one port hop ([CXL-AC]). */
export const DEFAULT_CXL_LINK = { generation: 5, lanes: 8 as const, latencyNs: 70 }
