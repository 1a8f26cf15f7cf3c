/**
 * The one metric catalogue (issue 8 item 6): every summary metric and every series kind with its
 * label, unit, better-direction and group. The engine defines its series from it, the CLI prints
 * tables from it, and the renderer's run details, queue and Compare look keys up in it — nothing
 * guesses a unit or a direction from a key's spelling. A key the catalogue does not know (a metric
 * of a newer engine, or of an older one that was since dropped) is shown with its own name and no
 * unit, and compared without a better/worse verdict.
 */

/** Which way a metric is better, so deltas can be coloured. */
export type MetricBetter = 'higher' | 'lower' | 'neutral'

/** Where a series belongs: the whole run, one process, one NUMA node, or a policy's own series. */
export type MetricGroup = 'run' | 'process' | 'node' | 'policy'

export interface MetricSpec {
  label: string
  /**
   * Display unit: 'ns', 'ms', 's', 'ops/s', 'B', 'B/s', 'ratio' (0..1), '×', 'count' (a plain
   * number; shown without a unit), or a rate such as 'frames/s'.
   */
  unit: string
  better: MetricBetter
}

export interface MetricInfo extends MetricSpec {
  key: string
  group: MetricGroup
  /** The process id or node number of a per-process or per-node series. */
  subject?: string
  /** The catalogue entry the key was found under ('throughputOpsPerS' for `process.kv.throughputOpsPerS`). */
  kind?: string
}

const m = (label: string, unit: string, better: MetricBetter = 'neutral'): MetricSpec => ({
  label,
  unit,
  better,
})

/** The run summary (`tierlab run --json`'s `summary`), in the order tables list them. */
export const SUMMARY_METRICS = {
  throughputOpsPerS: m('Throughput', 'ops/s', 'higher'),
  meanLatencyNs: m('Mean latency', 'ns', 'lower'),
  p50LatencyNs: m('p50 latency', 'ns', 'lower'),
  p90LatencyNs: m('p90 latency', 'ns', 'lower'),
  p99LatencyNs: m('p99 latency', 'ns', 'lower'),
  p999LatencyNs: m('p99.9 latency', 'ns', 'lower'),
  topTierHitRatio: m('Top-tier hit ratio', 'ratio', 'higher'),
  hotInTopTierShare: m('Hottest frames in top tier', 'ratio', 'higher'),
  localAccessRatio: m('Local access ratio', 'ratio', 'higher'),
  slowdownVsAllFast: m('Slowdown vs all-fast memory', '×', 'lower'),
  promotedBytes: m('Promoted', 'B'),
  demotedBytes: m('Demoted', 'B'),
  migratedBytes: m('Migrated', 'B'),
  promotions: m('Promotions', 'count'),
  demotions: m('Demotions', 'count'),
  exchanges: m('Exchanges', 'count'),
  failedMigrations: m('Failed migrations', 'count', 'lower'),
  queuedMigrations: m('Queued async migrations', 'count'),
  droppedMigrations: m('Dropped migrations', 'count'),
  meanQueueDelayMs: m('Mean async-migration queue delay', 'ms', 'lower'),
  pingPongs: m('Ping-pongs', 'count', 'lower'),
  hintFaults: m('NUMA hint faults', 'count', 'lower'),
  samples: m('Access samples', 'count'),
  accessedBitChecks: m('Accessed-bit checks', 'count'),
  policyCpuS: m('Policy CPU time', 'CPU s', 'lower'),
  // Each mechanism's own CPU (the engine's one CPU ledger, main/engine/sim/cpu-ledger.ts).
  hintFaultsCpuS: m('CPU: hint faults', 'CPU s', 'lower'),
  samplesCpuS: m('CPU: access sampling', 'CPU s', 'lower'),
  accessedBitsCpuS: m('CPU: accessed-bit checks', 'CPU s', 'lower'),
  cxlMonitorCpuS: m('CPU: CXL hotness monitor', 'CPU s', 'lower'),
  gpuCountersCpuS: m('CPU: GPU access counters', 'CPU s', 'lower'),
  migrationCpuS: m('CPU: migration', 'CPU s', 'lower'),
  policyChargesCpuS: m('CPU: policy work', 'CPU s', 'lower'),
  threadMigrations: m('Thread migrations', 'count'),
  /** Engine 0.2.0's name for whole-process moves; kept so archived runs keep their label. */
  threadMoves: m('Thread moves', 'count'),
  simulatedS: m('Simulated time', 's'),
} as const satisfies Record<string, MetricSpec>
export type SummaryMetricKey = keyof typeof SUMMARY_METRICS

/** What a reader looks at first (CLI run output, the run details panel). */
export const HEADLINE_METRICS: readonly SummaryMetricKey[] = [
  'throughputOpsPerS',
  'meanLatencyNs',
  'p99LatencyNs',
  'topTierHitRatio',
  'migratedBytes',
]

/** Run-wide series, keyed by the series key itself. */
export const RUN_SERIES = {
  throughputOpsPerS: m('Throughput (all processes)', 'ops/s', 'higher'),
  meanLatencyNs: m('Mean memory latency', 'ns', 'lower'),
  topTierHitRatio: m('Top-tier hit ratio', 'ratio', 'higher'),
  hotInTopTierShare: m('Hottest frames in the top tier', 'ratio', 'higher'),
  localAccessRatio: m('Local access ratio', 'ratio', 'higher'),
  promotionsPerS: m('Promotions', 'frames/s'),
  demotionsPerS: m('Demotions', 'frames/s'),
  promotedBytesPerS: m('Promoted bytes', 'B/s'),
  demotedBytesPerS: m('Demoted bytes', 'B/s'),
  hintFaultsPerS: m('NUMA hint faults', 'faults/s', 'lower'),
  samplesPerS: m('Access samples', 'samples/s'),
  policyCpuShare: m('Policy CPU overhead', 'CPU s/s', 'lower'),
  threadMigrationsPerS: m('Thread migrations', 'threads/s'),
  migrationQueueDepthFrames: m('Async migration queue depth', 'frames', 'lower'),
  migrationQueueDelayMs: m('Async migration queue delay', 'ms', 'lower'),
} as const satisfies Record<string, MetricSpec>
export type RunSeriesKind = keyof typeof RUN_SERIES

/** Per-process series kinds: key `process.<id>.<kind>`. */
export const PROCESS_SERIES = {
  throughputOpsPerS: m('throughput', 'ops/s', 'higher'),
  meanLatencyNs: m('mean latency', 'ns', 'lower'),
} as const satisfies Record<string, MetricSpec>
export type ProcessSeriesKind = keyof typeof PROCESS_SERIES

/** Per-node series kinds: key `node.<n>.<kind>`. */
export const NODE_SERIES = {
  usedBytes: m('used', 'B'),
  accessShare: m('access share', 'ratio'),
  bandwidthUtilisation: m('bandwidth use', 'ratio', 'lower'),
  loadedLatencyNs: m('loaded latency', 'ns', 'lower'),
  kernelThreadCpu: m('kernel-thread CPU', 'CPU s/s', 'lower'),
} as const satisfies Record<string, MetricSpec>
export type NodeSeriesKind = keyof typeof NODE_SERIES

const PROCESS_PREFIX = 'process.'
const NODE_PREFIX = 'node.'
const POLICY_PREFIX = 'policy.'

export const seriesKey = {
  run: (kind: RunSeriesKind): string => kind,
  process: (processId: string, kind: ProcessSeriesKind): string =>
    `${PROCESS_PREFIX}${processId}.${kind}`,
  node: (node: number, kind: NodeSeriesKind): string => `${NODE_PREFIX}${node}.${kind}`,
  /** A series a policy publishes; it carries its own label and unit. */
  policy: (name: string): string => `${POLICY_PREFIX}${name}`,
}

/** The label the engine gives a per-process series: "kv throughput". */
export function processSeriesLabel(processId: string, kind: ProcessSeriesKind): string {
  return `${processId} ${PROCESS_SERIES[kind].label}`
}

/** The label the engine gives a per-node series: "node 1 (cxl0) used". */
export function nodeSeriesLabel(node: number, component: string, kind: NodeSeriesKind): string {
  return `node ${node} (${component}) ${NODE_SERIES[kind].label}`
}

const has = <T extends object>(table: T, key: string): key is Extract<keyof T, string> =>
  Object.prototype.hasOwnProperty.call(table, key)

/** The summary metric's catalogue entry; an unknown key gets its own name and no verdict. */
export function summaryMetricInfo(key: string): MetricInfo {
  const spec: MetricSpec = has(SUMMARY_METRICS, key) ? SUMMARY_METRICS[key] : m(key, 'count')
  return { key, group: 'run', kind: key, ...spec }
}

/** `<prefix><subject>.<kind>` with a kind of `table`: process ids may themselves contain dots. */
function parameterised<T extends object>(
  key: string,
  prefix: string,
  table: T,
): { subject: string; kind: Extract<keyof T, string> } | null {
  if (!key.startsWith(prefix)) return null
  const dot = key.lastIndexOf('.')
  if (dot <= prefix.length) return null
  const kind = key.slice(dot + 1)
  return has(table, kind) ? { subject: key.slice(prefix.length, dot), kind } : null
}

/**
 * A series' catalogue entry. `carried` is the label and unit the series itself holds (every
 * stored series has them): a per-process or per-node label names its process or node, and a
 * policy series' metadata comes only from itself (better-direction neutral unless it gives one).
 */
export function seriesInfo(
  key: string,
  carried?: { label?: string; unit?: string; better?: MetricBetter },
): MetricInfo {
  if (has(RUN_SERIES, key)) return { key, group: 'run', kind: key, ...RUN_SERIES[key] }
  const proc = parameterised(key, PROCESS_PREFIX, PROCESS_SERIES)
  if (proc) {
    const spec = PROCESS_SERIES[proc.kind]
    return {
      key,
      group: 'process',
      subject: proc.subject,
      kind: proc.kind,
      ...spec,
      label: carried?.label ?? processSeriesLabel(proc.subject, proc.kind),
    }
  }
  const node = parameterised(key, NODE_PREFIX, NODE_SERIES)
  if (node) {
    const spec = NODE_SERIES[node.kind]
    return {
      key,
      group: 'node',
      subject: node.subject,
      kind: node.kind,
      ...spec,
      label: carried?.label ?? `node ${node.subject} ${spec.label}`,
    }
  }
  if (key.startsWith(POLICY_PREFIX) && key.length > POLICY_PREFIX.length) {
    return {
      key,
      group: 'policy',
      subject: key.slice(POLICY_PREFIX.length),
      label: carried?.label ?? key.slice(POLICY_PREFIX.length),
      unit: carried?.unit ?? '',
      better: carried?.better ?? 'neutral',
    }
  }
  // Not in the catalogue: the series' own metadata, run-wide, no verdict.
  return {
    key,
    group: 'run',
    label: carried?.label ?? key,
    unit: carried?.unit ?? '',
    better: carried?.better ?? 'neutral',
  }
}

/** Groups in the order pickers list them. */
export const METRIC_GROUPS: readonly MetricGroup[] = ['run', 'process', 'node', 'policy']

export const GROUP_LABELS: Record<MetricGroup, string> = {
  run: 'Run',
  process: 'Processes',
  node: 'Nodes',
  policy: 'Policy',
}
