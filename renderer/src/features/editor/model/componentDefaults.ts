import type { DraftComponent, DraftKind } from './editorDocument'

/**
 * What a component dropped from the palette starts as. Figures from
 * ../shared/reference/tiering-facts.md §7 where one exists; the user edits them afterwards.
 */
export function defaultComponent(kind: DraftKind, id: string): DraftComponent {
  switch (kind) {
    case 'socket':
      return {
        id,
        kind,
        name: `Socket ${id}`,
        cores: 56,
        memory: {
          capacityGiB: 256,
          media: 'DDR5',
          // DESIGN.md §8 example; [ICX] measured 89 ns idle on DDR4 Ice Lake.
          readLatencyNs: 110,
          writeLatencyNs: 110,
          // [CZ120] DDR5-4800, 8 channels (Sapphire Rapids) = 307.2 GB/s.
          readBandwidthGBps: 307.2,
          writeBandwidthGBps: 307.2,
        },
      }
    case 'cxl-memory':
      return {
        id,
        kind,
        name: `CXL expander ${id}`,
        memory: {
          capacityGiB: 256,
          media: 'DDR5',
          // Device latency only; the CXL link adds its own ([SUPMARIO][REALCXL]: 140–410 ns total).
          readLatencyNs: 170,
          writeLatencyNs: 170,
          // [CZ120] Micron CZ120, Gen5 x8: up to 36 GB/s.
          readBandwidthGBps: 36,
          writeBandwidthGBps: 36,
        },
      }
    case 'cxl-switch':
      // [POND] a pooled switch hop adds roughly 70–90 ns.
      return { id, kind, name: `CXL switch ${id}`, latencyNs: 70 }
    case 'gpu':
      return {
        id,
        kind,
        name: `GPU ${id}`,
        coherent: true,
        memory: {
          capacityGiB: 96,
          media: 'HBM3',
          readLatencyNs: 300,
          writeLatencyNs: 300,
          // [GH] GH200 Hopper: up to 96 GB HBM3 at up to 3000 GB/s.
          readBandwidthGBps: 3000,
          writeBandwidthGBps: 3000,
        },
      }
  }
}

export const KIND_LABELS: Record<DraftKind, string> = {
  socket: 'CPU socket',
  'cxl-memory': 'CXL memory expander',
  'cxl-switch': 'CXL switch',
  gpu: 'GPU',
}

/** Id prefix per kind; ids are prefix + the smallest free number. */
export const ID_PREFIX: Record<DraftKind, string> = {
  socket: 's',
  'cxl-memory': 'cxl',
  'cxl-switch': 'sw',
  gpu: 'gpu',
}
