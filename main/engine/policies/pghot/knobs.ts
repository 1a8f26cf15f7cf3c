import { z } from 'zod'
import type { TopologyAnalysis } from '../../../../shared/analysis'
import { knob } from '../knob'
import { PGHOT_SOURCES, SOURCE_TRAITS, sourcesWithNode, type PghotSource } from './sources'
import { COMPACT_SPAN_MS, MAX_FREQ, PRECISE_SPAN_MS } from './hotness-store'

/**
 * pghot's knobs. Defaults are the v6/v7 series' [PGHOT-v6][PGHOT-v7] and tiering-facts' [PGHOT]:
 * freq_threshold 2 (range 1–8), kmigrated sleep 100 ms, batches of 512, rate limit 65536 MB/s,
 * window 3000 ms (the header default; precise mode's documented 5000 ms does not fit a compact
 * record's ~4 s), a fixed top-tier target node (node 0 unless set, tunable in debugfs), and hint
 * faults as the only source (v6 kept only it; the IBS driver is the RFC 7/7 of v7).
 */
const sourceNames = PGHOT_SOURCES.map((s) => `"${s}"`).join(', ')

const shape = {
  sources: knob(
    z
      .array(
        z.enum(PGHOT_SOURCES, {
          error: (iss) =>
            `names an unknown source ${JSON.stringify(iss.input)}; use ${sourceNames}`,
        }),
      )
      .min(1, { error: `needs at least one source; use some of ${sourceNames}` })
      .default(['hint-faults']),
    {
      label: 'Sources',
      unit: '',
      description: `Where hotness comes from, any of ${sourceNames}.`,
    },
  ),
  mode: knob(z.enum(['compact', 'precise']).default('compact'), {
    label: 'Record mode',
    unit: '',
    description:
      "'compact': 1 byte per frame (2-bit frequency, ~4 s time, fixed target); 'precise': 4 bytes (also the accessing node, ~16 s).",
  }),
  freqThreshold: knob(z.number().int().min(1).max(8).default(2), {
    label: 'Frequency threshold',
    unit: 'accesses',
    description:
      'Accesses within the window that make a frame ready to promote (freq_threshold); compact records count to 3.',
  }),
  windowMs: knob(z.number().positive().max(PRECISE_SPAN_MS).default(3000), {
    label: 'Window',
    unit: 'ms',
    description: `Accesses further apart than this start the count over; compact records tell up to ${COMPACT_SPAN_MS} ms apart.`,
  }),
  kmigratedSleepMs: knob(z.number().positive().max(60_000).default(100), {
    label: 'kmigrated sleep',
    unit: 'ms',
    description: 'Each lower-tier node’s kmigrated wakes this often to promote its ready frames.',
  }),
  batchFrames: knob(z.number().int().min(1).max(512).default(512), {
    label: 'Batch',
    unit: 'frames',
    description: 'Frames kmigrated migrates per migrate_pages call.',
  }),
  rateLimitMBps: knob(z.number().positive().max(1e7).default(65536), {
    label: 'Promotion rate limit',
    unit: 'MB/s',
    description: 'Bytes each kmigrated promotes per second at most (MB = 2^20 bytes).',
  }),
  target: knob(z.enum(['fixed', 'accessor']).default('fixed'), {
    label: 'Target',
    unit: '',
    description:
      "'fixed': promote to targetNode; 'accessor': to the node that accessed the frame (precise mode only).",
  }),
  targetNode: knob(z.number().int().min(0).optional(), {
    label: 'Target node',
    unit: 'node id',
    description:
      "The fixed target, and the fallback of 'accessor' for records without a node; default the first top-tier node.",
  }),
  promotion: knob(z.enum(['async', 'sync']).default('async'), {
    label: 'Promotion',
    unit: '',
    description:
      "'async': kmigrated promotes; 'sync': a hint fault or sample that makes a frame ready promotes it in the task (NUMAB-2 style).",
  }),
  costAware: knob(z.boolean().default(false), {
    label: 'Cost-aware',
    unit: '',
    description:
      'Promote a ready frame only when its expected saving exceeds what the migration costs.',
  }),
  samplePeriod: knob(z.number().int().min(1).max(1e9).default(4093), {
    label: 'Sample period',
    unit: 'accesses',
    description: 'CPU accesses per IBS/PEBS sample (a prime, so samples do not alias a stride).',
  }),
  scanPeriodMs: knob(z.number().positive().max(3_600_000).default(1000), {
    label: 'PTE scan period',
    unit: 'ms',
    description: 'How often the pte-scan source checks the accessed bits of lower-tier frames.',
  }),
}

/** Knob combinations that cannot work, one message each naming the knob and the fix. */
function checkCombination(k: z.output<z.ZodObject<typeof shape>>, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message })
  if (k.mode === 'compact') {
    if (k.target === 'accessor')
      issue(
        'target',
        "'accessor' needs mode 'precise' (a compact record keeps no accessing node); set mode: 'precise' or target: 'fixed'",
      )
    if (k.freqThreshold > MAX_FREQ.compact)
      issue(
        'freqThreshold',
        `${k.freqThreshold} needs mode 'precise' (a compact record counts to ${MAX_FREQ.compact}); set mode: 'precise' or freqThreshold ≤ ${MAX_FREQ.compact}`,
      )
    if (k.windowMs > COMPACT_SPAN_MS)
      issue(
        'windowMs',
        `${k.windowMs} needs mode 'precise' (a compact record's time covers ${COMPACT_SPAN_MS} ms); set mode: 'precise' or windowMs ≤ ${COMPACT_SPAN_MS}`,
      )
  }
  if (k.target === 'accessor' && sourcesWithNode(k.sources).length === 0)
    issue(
      'target',
      `'accessor' needs a source that reports the accessing node, and ${k.sources.join(', ')} report none; add one of ${(Object.keys(SOURCE_TRAITS) as PghotSource[]).filter((s) => SOURCE_TRAITS[s].givesNode).join(', ')} to sources, or set target: 'fixed'`,
    )
  if (new Set(k.sources).size !== k.sources.length)
    issue('sources', 'names a source twice; list each once')
}

export const pghotKnobs = z.strictObject(shape).superRefine(checkCombination)
export type PghotKnobs = z.output<typeof pghotKnobs>

/** Memory nodes a promotion may target: top-tier nodes with memory. */
export function topTierMemoryNodes(analysis: TopologyAnalysis): number[] {
  return analysis.nodes
    .filter((n) => n.topTier && n.hasMemory && n.capacityBytes > 0)
    .map((n) => n.node)
}

/**
 * The fixed target node on this machine: the knob, else the first top-tier memory node (the
 * kernel's default of node 0 [PGHOT-v6]). Throws one sentence naming the knob and the fix.
 */
export function resolveTargetNode(k: PghotKnobs, analysis: TopologyAnalysis): number {
  const top = topTierMemoryNodes(analysis)
  if (k.targetNode === undefined) {
    if (top.length === 0)
      throw new Error(
        'knob "targetNode" is missing and cannot be defaulted: the machine has no top-tier memory node to promote to; give the topology DRAM on a socket',
      )
    return top[0]
  }
  if (!top.includes(k.targetNode)) {
    const n = analysis.nodes.find((x) => x.node === k.targetNode)
    const what = !n
      ? `the machine has nodes 0–${analysis.nodes.length - 1}`
      : !n.hasMemory || n.capacityBytes <= 0
        ? `node ${n.node} (${n.component}) has no memory`
        : `node ${n.node} (${n.component}) is in tier ${n.tier}, not the top tier`
    throw new Error(
      `knob "targetNode" is ${k.targetNode}, not a top-tier memory node: ${what}; use one of ${top.join(', ') || '(none)'}`,
    )
  }
  return k.targetNode
}
