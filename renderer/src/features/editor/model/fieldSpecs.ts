import { PCIE_GENERATIONS } from '../../../../../shared/units'
import type { DraftKind } from './editorDocument'

/** One editable field of the properties panel: where it lives, its unit and its input. */
export interface FieldSpec {
  /** Path inside the component or link, as the zod issues name it (`memory.capacityGiB`). */
  path: string[]
  label: string
  /** Shown after the input; every quantity has one. */
  unit: string
  input: 'number' | 'integer' | 'text' | 'checkbox' | 'select'
  options?: Array<{ value: string | number; label: string }>
  /** The field may be left empty (it is optional in the format). */
  optional?: boolean
  step?: number
  help?: string
}

const memoryFields: FieldSpec[] = [
  { path: ['memory', 'capacityGiB'], label: 'Capacity', unit: 'GiB', input: 'number', step: 1 },
  { path: ['memory', 'media'], label: 'Media', unit: 'type', input: 'text' },
  { path: ['memory', 'readLatencyNs'], label: 'Read latency', unit: 'ns', input: 'number' },
  { path: ['memory', 'writeLatencyNs'], label: 'Write latency', unit: 'ns', input: 'number' },
  {
    path: ['memory', 'readBandwidthGBps'],
    label: 'Read bandwidth',
    unit: 'GB/s',
    input: 'number',
  },
  {
    path: ['memory', 'writeBandwidthGBps'],
    label: 'Write bandwidth',
    unit: 'GB/s',
    input: 'number',
  },
  {
    path: ['memory', 'reportsPerformance'],
    label: 'Firmware reports performance',
    unit: 'HMAT/CDAT',
    input: 'checkbox',
    help: 'Off: the kernel places this memory by its default abstract distance.',
  },
]

const common: FieldSpec[] = [
  { path: ['id'], label: 'Id', unit: 'id', input: 'text' },
  { path: ['name'], label: 'Name', unit: 'text', input: 'text', optional: true },
]

/** The fields of each component kind, in panel order. */
export const COMPONENT_FIELDS: Record<DraftKind, FieldSpec[]> = {
  socket: [
    ...common,
    { path: ['cores'], label: 'Cores', unit: 'cores', input: 'integer', step: 1 },
    ...memoryFields,
  ],
  'cxl-memory': [...common, ...memoryFields],
  'cxl-switch': [
    ...common,
    { path: ['latencyNs'], label: 'Switch latency', unit: 'ns', input: 'number' },
  ],
  gpu: [
    ...common,
    {
      path: ['coherent'],
      label: 'Coherent HBM (NUMA node)',
      unit: 'CPU-visible',
      input: 'checkbox',
      help: 'On: HBM is a CPU-less NUMA node (Grace Hopper). Off: device-private memory.',
    },
    { path: ['sms'], label: 'SMs', unit: 'SMs', input: 'integer', optional: true, step: 1 },
    ...memoryFields,
  ],
}

const optionalNone = { value: '', label: '—' }

/** Link fields after the kind picker; generation/lanes matter for CXL and PCIe only. */
export function linkFields(kind: string): FieldSpec[] {
  const fields: FieldSpec[] = [
    { path: ['latencyNs'], label: 'Latency per traversal', unit: 'ns', input: 'number' },
    {
      path: ['bandwidthGBps'],
      label: 'Bandwidth per direction',
      unit: 'GB/s',
      input: 'number',
      optional: kind === 'cxl' || kind === 'pcie',
      help:
        kind === 'cxl' || kind === 'pcie'
          ? 'Leave empty to derive it from generation × lanes.'
          : undefined,
    },
  ]
  if (kind === 'cxl' || kind === 'pcie') {
    fields.push(
      {
        path: ['generation'],
        label: 'Generation',
        unit: 'gen',
        input: 'select',
        optional: true,
        options: [
          optionalNone,
          ...Object.entries(PCIE_GENERATIONS).map(([g, v]) => ({
            value: Number(g),
            label: `${g} (${v.gtPerS} GT/s)`,
          })),
        ],
      },
      {
        path: ['lanes'],
        label: 'Lanes',
        unit: 'lanes',
        input: 'select',
        optional: true,
        options: [optionalNone, ...[1, 2, 4, 8, 16].map((n) => ({ value: n, label: `x${n}` }))],
      },
    )
  }
  return fields
}

export function getIn(obj: unknown, path: readonly string[]): unknown {
  let v = obj
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

/**
 * What an input's raw text becomes in the draft: numbers parsed (an empty optional field is
 * removed, an empty required one too, so validation says it is missing), text kept as typed.
 */
export function valueFromInput(spec: FieldSpec, raw: string | boolean): unknown {
  if (spec.input === 'checkbox') return Boolean(raw)
  const text = String(raw)
  if (spec.input === 'text') return text === '' && spec.optional ? undefined : text
  if (text.trim() === '') return undefined
  const n = Number(text)
  return Number.isNaN(n) ? text : n
}
