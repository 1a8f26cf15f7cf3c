import type { Experiment } from './formats/experiment'
import type { MetricBetter } from './metrics/catalogue'

/** Run records as they cross the API (DESIGN.md §6). Times are ISO-8601 strings (UTC). */
export const RUN_STATUSES = [
  'queued',
  'running',
  'done',
  'failed',
  'cancelled',
  'interrupted',
] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/** Headline numbers of a finished run; the `--json` summary of DESIGN.md §8 plus extras. */
export type RunSummaryMetrics = Record<string, number>

export interface RunRecord {
  id: number
  name: string
  status: RunStatus
  policyId: string
  topologyName: string
  workloadName: string
  seed: number
  engineVersion: string
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  /** Wall-clock run time, ms. */
  wallMs: number | null
  tags: string[]
  notes: string
  /** Batch the run was queued with (a sweep), if any. */
  batch: string | null
  summary: RunSummaryMetrics | null
  error: string | null
  /**
   * Replicate group: runs of the same experiment and engine version that differ only by seed
   * (shown as mean ± 95 % CI, shared/stats.ts). Always set by the store; optional for old clients.
   */
  groupKey?: string | null
  /** Index of this seed among its sweep point's replicates (0-based), if it came from a sweep. */
  replicate?: number | null
  /** The knob values of this run's grid point within its sweep (`batch`), path → value. */
  sweepPoint?: Record<string, SweepValue> | null
  /** Queue job id (hash of experiment, seed and engine version) when it ran on a shared queue. */
  jobId?: string | null
  /** The queue it ran on, without credentials (`redis://host:port`), or null when local. */
  queueUrl?: string | null
}

/** A NUMA node at the end of a run: what it held and its share of the last epoch's accesses. */
export interface NodeResult {
  node: number
  /** The topology component whose memory the node is. */
  component: string
  usedBytes: number
  /** 0..1 of all accesses. */
  accessShare: number
}

/** A sweep knob value: what `--values` and the API accept. */
export type SweepValue = number | string | boolean

export interface RunDetail extends RunRecord {
  /**
   * The full, resolved experiment (presets inlined), as it was run. Since engine 0.3 its
   * `policy.params` holds every knob with defaults filled in (the effective values); older runs
   * keep the params they were started with.
   */
  experiment: Experiment
  /** Per-process results (throughput ops/s, latency ns). */
  processes: Array<{ id: string; throughputOpsPerS: number; meanLatencyNs: number }>
  /** Per-node placement at the end of the run; empty for runs archived before it was kept. */
  nodes: NodeResult[]
  /**
   * What the engine warned about this run's result (e.g. epochs whose closed loop did not
   * converge); empty or absent when none, and for runs archived before warnings were kept.
   */
  warnings?: string[]
}

/**
 * One metric series: x is simulated time in s; values in the series' unit. Keys, units and
 * better-directions are described by shared/metrics/catalogue.ts; a policy's own series
 * (`policy.<name>`) carries its label, unit and, optionally, its better-direction here.
 */
export interface SeriesData {
  key: string
  label: string
  unit: string
  better?: MetricBetter
  t: number[]
  values: number[]
}

/**
 * Placement heatmap: hotness rank × time → tier. Rows are time samples, columns are hotness bins
 * (bin 0 = hottest frames). `values[row * rankBins + bin]` is the mean tier ordinal of the frames in
 * that bin (0 = top tier, 1 = next, …), so a perfect placement shows low values on the left.
 */
export interface HeatmapData {
  t: number[]
  rankBins: number
  /** Tier ids, ordinal order (index = the ordinal used in values). */
  tiers: number[]
  values: number[]
}
