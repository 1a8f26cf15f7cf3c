import type { Topology } from '../../../../../../shared/formats/topology'
import type {
  Pattern,
  PatternKind,
  Phase,
  Process,
  Region,
  Workload,
} from '../../../../../../shared/formats/workload'
import { formatTag } from '../../../../../../shared/formats/version'

/**
 * The workload being edited: the file's shape, but not yet validated (a field the user cleared
 * holds '' until shared/formats reports it). parseDocument is the only judge of validity.
 */
export type WorkloadDraft = Workload

/** A pattern kind and the parameters it needs, with the values a new one starts from. */
export const PATTERN_KINDS: ReadonlyArray<{ kind: PatternKind; label: string }> = [
  { kind: 'uniform', label: 'uniform' },
  { kind: 'zipf', label: 'zipf' },
  { kind: 'hotset', label: 'hot set' },
  { kind: 'moving-window', label: 'moving window' },
  { kind: 'scan', label: 'sequential scan' },
  { kind: 'trace', label: 'replayed trace' },
]

/** Starting parameters per kind: YCSB's zipf 0.99, a 10 % hot set taking 90 %, DESIGN.md §8. */
export function defaultPattern(kind: PatternKind): Pattern {
  switch (kind) {
    case 'uniform':
      return { kind }
    case 'zipf':
      return { kind, s: 0.99, layout: 'shuffled' }
    case 'hotset':
      return { kind, hotFraction: 0.1, hotProbability: 0.9, layout: 'shuffled' }
    case 'moving-window':
      return { kind, widthFraction: 0.1, periodS: 30, windowProbability: 1 }
    case 'scan':
      return { kind }
    case 'trace':
      return { kind, trace: 'trace-1' }
  }
}

/** An id not yet in `taken`: `prefix1`, `prefix2`, … */
export function freshId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  for (let i = 1; ; i++) if (!used.has(`${prefix}${i}`)) return `${prefix}${i}`
}

export function newRegion(w: WorkloadDraft): Region {
  return {
    id: freshId(
      'region',
      w.regions.map((r) => r.id),
    ),
    sizeGiB: 8,
    firstTouch: w.processes[0]?.id ?? '',
    allocation: 'start',
  }
}

export function newPhase(w: WorkloadDraft): Phase {
  return {
    durationS: 60,
    accesses: [{ region: w.regions[0]?.id ?? '', share: 1, pattern: defaultPattern('uniform') }],
  }
}

export function newProcess(w: WorkloadDraft, initiator: string): Process {
  return {
    id: freshId(
      'proc',
      w.processes.map((p) => p.id),
    ),
    initiator,
    threads: 8,
    computeNsPerOp: 100,
    accessesPerOp: 4,
    mlp: 4,
    writeFraction: 0.2,
    phases: [newPhase(w)],
  }
}

/** A small valid workload to start from when there is no preset at hand. */
export function blankWorkload(initiator: string): WorkloadDraft {
  const w: WorkloadDraft = {
    format: formatTag('workload'),
    name: 'New workload',
    regions: [],
    processes: [],
  }
  w.processes.push(newProcess(w, initiator))
  w.regions.push(newRegion(w))
  w.processes[0].phases = [newPhase(w)]
  return w
}

/** Where a process may run: the topology's sockets and GPUs (DESIGN.md §8 `initiator`). */
export interface InitiatorOption {
  id: string
  label: string
}

export function initiatorOptions(topology: Topology | null): InitiatorOption[] {
  if (!topology) return []
  return topology.components
    .filter((c) => c.kind === 'socket' || c.kind === 'gpu')
    .map((c) => ({ id: c.id, label: `${c.id} (${c.kind}${c.name ? `, ${c.name}` : ''})` }))
}

/**
 * Problems the workload schema cannot see because they involve the topology: an initiator that
 * is not one of its sockets or GPUs. Paths match parseDocument's, so they land on the same field.
 */
export function initiatorIssues(
  w: WorkloadDraft,
  topology: Topology | null,
): Array<{ path: string; message: string }> {
  if (!topology) return []
  const ids = initiatorOptions(topology).map((o) => o.id)
  return w.processes.flatMap((p, i) =>
    ids.includes(p.initiator)
      ? []
      : [
          {
            path: `processes[${i}].initiator`,
            message: `"${p.initiator}" is not a socket or GPU of topology "${topology.name}"; choose one of ${ids.join(', ')}`,
          },
        ],
  )
}

/** Allocation as the form edits it: at start, or grown at a rate in GB/s. */
export function allocationRateGBps(r: Region): number | null {
  return r.allocation === 'start' ? null : r.allocation.rateGBps
}
