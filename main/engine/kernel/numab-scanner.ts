import { bytesToKernelPages } from './page-units'

/**
 * The NUMA-balancing page-table scanner's timing, as kernel/sched/fair.c computes it [FAIR]
 * (`task_nr_scan_windows`, `task_scan_min`, `task_scan_max`, `task_scan_start`,
 * `update_task_scan_period`). All integer arithmetic follows the kernel's (unsigned division
 * truncates). The engine decides when a scan sequence ends and calls `nextScanPeriodMs` then.
 *
 * In tiering-only mode (numa_balancing = 2) faults on slow-tier pages return from
 * `task_numa_fault` before any statistics are kept, and top-tier pages are not scanned [MPROT],
 * so the kernel never reaches `update_task_scan_period` and the period stays at its start value.
 */

export interface NumabScannerParams {
  /** numa_balancing_scan_delay_ms: first scan after task start, ms [FAIR]. */
  scanDelayMs: number
  /** numa_balancing_scan_period_min_ms [FAIR]. */
  scanPeriodMinMs: number
  /** numa_balancing_scan_period_max_ms [FAIR]. */
  scanPeriodMaxMs: number
  /** numa_balancing_scan_size_mb: pages made PROT_NONE per pass, MiB (the kernel's MB) [FAIR]. */
  scanSizeMB: number
}

export const NUMAB_SCANNER_DEFAULTS: Readonly<NumabScannerParams> = Object.freeze({
  scanDelayMs: 1000,
  scanPeriodMinMs: 1000,
  scanPeriodMaxMs: 60000,
  scanSizeMB: 256,
})

/** Never scan more PTEs than this many MB per second [FAIR]. */
export const MAX_SCAN_WINDOW_MB = 2560
export const NUMA_PERIOD_SLOTS = 10
export const NUMA_PERIOD_THRESHOLD = 7
/** A pass walks at most this many times scan_size of virtual address space [FAIR]. */
export const VIRTUAL_SCAN_FACTOR = 8

function params(p?: Partial<NumabScannerParams>): NumabScannerParams {
  return { ...NUMAB_SCANNER_DEFAULTS, ...p }
}

/** nr_windows = round_up(rss, scan pages) / scan pages; an empty RSS counts as one window. */
export function scanWindows(rssBytes: number, p?: Partial<NumabScannerParams>): number {
  const scanPages = bytesToKernelPages(params(p).scanSizeMB * 1024 * 1024)
  const rss = bytesToKernelPages(rssBytes) || scanPages
  return Math.ceil(rss / scanPages)
}

/** task_scan_min = max(1000 / (MAX_SCAN_WINDOW / scan_size), period_min / nr_windows), ms. */
export function taskScanMinMs(rssBytes: number, p?: Partial<NumabScannerParams>): number {
  const q = params(p)
  const windows =
    q.scanSizeMB < MAX_SCAN_WINDOW_MB ? Math.floor(MAX_SCAN_WINDOW_MB / q.scanSizeMB) : 1
  const floor = Math.floor(1000 / windows)
  const scan = Math.floor(q.scanPeriodMinMs / scanWindows(rssBytes, q))
  return Math.max(floor, scan)
}

/** task_scan_max = max(task_scan_min, period_max / nr_windows), ms (no numa_group scaling). */
export function taskScanMaxMs(rssBytes: number, p?: Partial<NumabScannerParams>): number {
  const q = params(p)
  return Math.max(
    taskScanMinMs(rssBytes, q),
    Math.floor(q.scanPeriodMaxMs / scanWindows(rssBytes, q)),
  )
}

/** task_scan_start: the first period; equals task_scan_min for a task without a numa_group. */
export function taskScanStartMs(rssBytes: number, p?: Partial<NumabScannerParams>): number {
  return taskScanMinMs(rssBytes, p)
}

/** What one pass covers: present pages made PROT_NONE, and the virtual span walked at most. */
export function scanPassBytes(p?: Partial<NumabScannerParams>): {
  protectBytes: number
  maxVirtualBytes: number
} {
  const protectBytes = params(p).scanSizeMB * 1024 * 1024
  return { protectBytes, maxVirtualBytes: protectBytes * VIRTUAL_SCAN_FACTOR }
}

export interface ScanPeriodState {
  /** The current numa_scan_period, ms. */
  periodMs: number
  /** The task's resident set, bytes (sets nr_windows and so the min and max). */
  rssBytes: number
}

/** Hint-fault counts since the last adaptation (numa_faults_locality and group faults). */
export interface ScanFaultStats {
  localFaults: number
  remoteFaults: number
  privateFaults: number
  sharedFaults: number
  /** Migrations that failed in the window (numa_faults_locality[2]). */
  failedMigrations: number
}

/**
 * `update_task_scan_period` [FAIR]: no faults (local + shared = 0, as the kernel tests it) or a
 * failed migration doubles the period up to task_scan_max; otherwise it moves by whole slots of a
 * tenth of the period, up when ≥ 70 % of faults are private (or, failing that, local), down by
 * (7 − max ratio) slots when neither is, clamped to [task_scan_min, task_scan_max].
 * (A 2025 tip patch flips the first test to the shared ratio; this keeps the long-standing rule.)
 */
export function nextScanPeriodMs(
  state: ScanPeriodState,
  stats: ScanFaultStats,
  p?: Partial<NumabScannerParams>,
): number {
  const q = params(p)
  const min = taskScanMinMs(state.rssBytes, q)
  const max = taskScanMaxMs(state.rssBytes, q)
  const local = stats.localFaults
  const remote = stats.remoteFaults
  const priv = stats.privateFaults
  const shared = stats.sharedFaults
  if (local + shared === 0 || stats.failedMigrations > 0) return Math.min(max, state.periodMs * 2)
  const periodSlot = Math.ceil(state.periodMs / NUMA_PERIOD_SLOTS)
  const lrRatio =
    local + remote > 0 ? Math.floor((local * NUMA_PERIOD_SLOTS) / (local + remote)) : 0
  const psRatio = priv + shared > 0 ? Math.floor((priv * NUMA_PERIOD_SLOTS) / (priv + shared)) : 0
  let diff: number
  if (psRatio >= NUMA_PERIOD_THRESHOLD) {
    diff = Math.max(1, psRatio - NUMA_PERIOD_THRESHOLD) * periodSlot
  } else if (lrRatio >= NUMA_PERIOD_THRESHOLD) {
    diff = Math.max(1, lrRatio - NUMA_PERIOD_THRESHOLD) * periodSlot
  } else {
    diff = -(NUMA_PERIOD_THRESHOLD - Math.max(lrRatio, psRatio)) * periodSlot
  }
  return Math.min(max, Math.max(min, state.periodMs + diff))
}
