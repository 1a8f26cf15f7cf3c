import type { AccessCoordinate, AnalysedInitiator, AnalysedPath } from '../../../shared/analysis'
import type { NumaNode } from './numbering'

/**
 * The integer an HMAT table would carry for a path (tiering-facts.md §1 [HMATC], [NUMAPERF]).
 * Latency: HMAT revision 2 stores picoseconds and hmat_normalize() turns them into ns with
 * DIV_ROUND_UP, so a fractional ns rounds UP. Bandwidth: MB/s entries are whole numbers; we round
 * DOWN, so a rated value never exceeds what the links carry (e.g. a Gen5 x8 link, 31.5077 GB/s,
 * becomes 31507 MB/s). A tiny tolerance keeps float noise (0.1 + 0.2) from moving a value by one.
 */
export function hmatCoordinate(path: AnalysedPath): AccessCoordinate {
  const up = (ns: number) => Math.ceil(ns - 1e-6)
  const down = (mbps: number) => Math.floor(mbps + 1e-6)
  return {
    readLatencyNs: up(path.readLatencyNs),
    writeLatencyNs: up(path.writeLatencyNs),
    readBandwidthMBps: down(path.readBandwidthMBps),
    writeBandwidthMBps: down(path.writeBandwidthMBps),
  }
}

/** An initiator's HMAT entry for one target, with whether the initiator is a CPU. */
export interface InitiatorEntry {
  initiator: string
  hasCpu: boolean
  entry: AccessCoordinate
}

type Metric = keyof AccessCoordinate

/**
 * hmat_update_target_attrs() (drivers/acpi/numa/hmat.c [HMATC]): metrics in the kernel's enum order
 * WRITE_LATENCY, READ_LATENCY, WRITE_BANDWIDTH, READ_BANDWIDTH; for each, the best value among the
 * initiators still in the candidate set, and the set shrinks to the initiators that matched it. So
 * a later metric only breaks ties of the earlier ones. Access class 1 (ACCESS_COORDINATE_CPU) drops
 * initiators without CPUs. A zero value never counts (hmat_update_best). Returns null when no
 * initiator has an entry.
 */
export function bestCoordinate(
  entries: InitiatorEntry[],
  cpuOnly: boolean,
): AccessCoordinate | null {
  let candidates = entries.filter((e) => !cpuOnly || e.hasCpu)
  if (candidates.length === 0) return null
  const metrics: [Metric, 'lower' | 'higher'][] = [
    ['writeLatencyNs', 'lower'],
    ['readLatencyNs', 'lower'],
    ['writeBandwidthMBps', 'higher'],
    ['readBandwidthMBps', 'higher'],
  ]
  const out: AccessCoordinate = {
    readLatencyNs: 0,
    writeLatencyNs: 0,
    readBandwidthMBps: 0,
    writeBandwidthMBps: 0,
  }
  for (const [metric, goal] of metrics) {
    let best = 0
    let kept: InitiatorEntry[] = []
    for (const c of candidates) {
      const value = c.entry[metric]
      const improves =
        value !== 0 && (best === 0 || (goal === 'lower' ? value < best : value > best))
      // On an improvement the kernel clears every earlier (lower proximity domain) initiator.
      if (improves) {
        best = value
        kept = []
      }
      if (value === best) kept.push(c)
    }
    if (best !== 0) out[metric] = best
    candidates = kept
  }
  return out
}

/**
 * access0 / access1 of every node. A socket's own DRAM names its socket as the attached processor
 * domain, and hmat.c then links only that initiator (the PXM_INVAL branch), so both classes are the
 * socket's own entry. Other nodes take the best over initiators as above.
 */
export function accessCoordinates(
  nodes: NumaNode[],
  initiators: AnalysedInitiator[],
  paths: AnalysedPath[],
): { access0: AccessCoordinate | null; access1: AccessCoordinate | null }[] {
  const isCpu = new Map(initiators.map((i) => [i.component, i.kind === 'socket']))
  return nodes.map((n) => {
    const entries: InitiatorEntry[] = paths
      .filter((p) => p.node === n.node)
      .filter((p) => n.component.kind !== 'socket' || p.initiator === n.component.id)
      .map((p) => ({
        initiator: p.initiator,
        hasCpu: isCpu.get(p.initiator) ?? false,
        entry: hmatCoordinate(p),
      }))
    return { access0: bestCoordinate(entries, false), access1: bestCoordinate(entries, true) }
  })
}
