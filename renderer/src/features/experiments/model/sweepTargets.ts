import type { PolicyInfo } from '../../../../../shared/api/contract'
import type { Topology } from '../../../../../shared/formats/topology'
import { knobToField } from './knobFields'

/** Something a sweep can vary: a policy knob, a topology number or a run setting. */
export interface SweepTarget {
  /** The field path runs.sweep takes (`policy.params.hotThresholdMs`, `topology.components[1]…`). */
  path: string
  label: string
  kind: 'number' | 'boolean' | 'select'
  options: string[]
  /** A policy knob sweeps only that policy; other targets sweep every selected policy. */
  policyId: string | null
  /** Current value, to suggest a list around it. */
  current: unknown
}

const MEMORY_NUMBERS = [
  ['capacityGiB', 'capacity', 'GiB'],
  ['readLatencyNs', 'read latency', 'ns'],
  ['writeLatencyNs', 'write latency', 'ns'],
  ['readBandwidthGBps', 'read bandwidth', 'GB/s'],
  ['writeBandwidthGBps', 'write bandwidth', 'GB/s'],
] as const

export function policyTargets(policies: readonly PolicyInfo[]): SweepTarget[] {
  return policies.flatMap((p) =>
    p.knobs.flatMap((k): SweepTarget[] => {
      const f = knobToField(k)
      if (f.kind !== 'number' && f.kind !== 'boolean' && f.kind !== 'select') return []
      const unit = k.unit ? ` (${k.unit})` : ''
      return [
        {
          path: `policy.params.${k.name}`,
          label: `${p.name}: ${f.label}${unit}`,
          kind: f.kind,
          options: f.kind === 'select' ? f.options : [],
          policyId: p.id,
          current: k.default,
        },
      ]
    }),
  )
}

export function topologyTargets(topology: Topology | null): SweepTarget[] {
  if (!topology) return []
  const out: SweepTarget[] = []
  topology.components.forEach((c, i) => {
    const name = c.name ?? c.id
    if (c.kind === 'socket')
      out.push(numberTarget(`topology.components[${i}].cores`, `${name}: cores`, c.cores))
    if ('memory' in c && c.memory) {
      const memory = c.memory as Record<string, unknown>
      for (const [field, label, unit] of MEMORY_NUMBERS)
        out.push(
          numberTarget(
            `topology.components[${i}].memory.${field}`,
            `${name}: ${label} (${unit})`,
            memory[field],
          ),
        )
    }
  })
  topology.links.forEach((l, i) => {
    out.push(
      numberTarget(
        `topology.links[${i}].latencyNs`,
        `link ${l.a}–${l.b}: latency (ns)`,
        l.latencyNs,
      ),
    )
  })
  return out
}

export function settingTargets(): SweepTarget[] {
  return [
    numberTarget('seed', 'seed', 1),
    numberTarget('durationS', 'duration (s)', undefined),
    numberTarget('epochMs', 'epoch (ms)', undefined),
  ]
}

function numberTarget(path: string, label: string, current: unknown): SweepTarget {
  return { path, label, kind: 'number', options: [], policyId: null, current }
}
