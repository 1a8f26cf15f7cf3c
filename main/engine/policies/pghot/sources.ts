import { NUMAB_SCANNER_DEFAULTS } from '../../kernel'
import type { Subscriptions } from '../api'

/**
 * The hotness sources pghot can be fed by, and what each can and cannot report. The source table
 * of Wilcox and Rao [SRC-TABLE] (physical address / virtual address / access time / accessing
 * node): PROT_NONE hint faults Y Y Y Y; PTE accessed bits Y Y N N; IBS Y Y Y Y; CHMU physical
 * address only. PEBS (load-latency sampling) reports what IBS does; no upstream PEBS driver feeds
 * pghot (unconfirmed, upstream-2026 §1.6), so it is the same sampling model at its own period.
 * Each maps onto one of the engine's telemetry subscriptions (sim/telemetry/sources.ts), which
 * charges the source's own cost through the CPU ledger: hint faults to the faulting thread,
 * samples to the sampled process, accessed-bit checks and CHMU records to a kernel thread.
 */
export const PGHOT_SOURCES = ['hint-faults', 'ibs', 'pebs', 'pte-scan', 'chmu'] as const
export type PghotSource = (typeof PGHOT_SOURCES)[number]

export interface SourceTraits {
  /** Whether a record says which node accessed the frame (so an `accessor` target can use it). */
  givesNode: boolean
  /** Whether a record carries the access time (else pghot stamps the time it learns of it). */
  givesTime: boolean
  /** Whether a record arrives in the accessing task's context (hint fault, sample handler). */
  inTaskContext: boolean
}

export const SOURCE_TRAITS: Record<PghotSource, SourceTraits> = {
  'hint-faults': { givesNode: true, givesTime: true, inTaskContext: true },
  ibs: { givesNode: true, givesTime: true, inTaskContext: true },
  pebs: { givesNode: true, givesTime: true, inTaskContext: true },
  // kmmscand/klruscand-like [KMMSCAND-P][KLRUSCAND]: a bit set some time since the last scan.
  'pte-scan': { givesNode: false, givesTime: false, inTaskContext: false },
  // CXL r3.2 CHMU hot list [CHMU]: device-side, physical address and a count only.
  chmu: { givesNode: false, givesTime: false, inTaskContext: false },
}

export const sourcesWithNode = (sources: readonly PghotSource[]): PghotSource[] =>
  sources.filter((s) => SOURCE_TRAITS[s].givesNode)

/** A CHMU epoch's count at or above which a frame is reported; an assumption (implementation-defined [CHMU]). */
export const CHMU_THRESHOLD = 8
/** Hot records a CHMU keeps per epoch (its ring buffer); an assumption. */
export const CHMU_MAX_RECORDS = 4096
/** A PTE scan checks every frame of each lower-tier node per period (klruscand walks all). */
const PTE_SCAN_ALL_FRAMES = 1 << 30

export interface SourceSettings {
  /** CPU accesses per sample for ibs/pebs. */
  samplePeriod: number
  /** Period of the PTE accessed-bit scan, ms. */
  scanPeriodMs: number
}

/**
 * The engine telemetry a set of sources needs. IBS and PEBS both sample CPU accesses; when both
 * are named both PMUs sample, so the engine's one sampling stream runs at the combined rate.
 */
export function pghotSubscriptions(
  sources: readonly PghotSource[],
  s: SourceSettings,
): Subscriptions {
  const subs: Subscriptions = {}
  const has = (x: PghotSource) => sources.includes(x)
  if (has('hint-faults'))
    // In tiering mode only lower-tier pages are made PROT_NONE [MPROT]; NUMAB scanner defaults [FAIR].
    subs.hintFaults = { mode: 'tiering', ...NUMAB_SCANNER_DEFAULTS }
  const samplers = (has('ibs') ? 1 : 0) + (has('pebs') ? 1 : 0)
  if (samplers > 0) subs.samples = { period: Math.max(1, s.samplePeriod / samplers) }
  if (has('pte-scan'))
    subs.accessedBits = {
      periodMs: s.scanPeriodMs,
      framesPerScan: PTE_SCAN_ALL_FRAMES,
      nodes: 'slow',
    }
  if (has('chmu')) subs.cxlMonitor = { threshold: CHMU_THRESHOLD, maxRecords: CHMU_MAX_RECORDS }
  return subs
}
