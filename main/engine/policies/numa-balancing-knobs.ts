import { z } from 'zod'
import { NUMAB_SCANNER_DEFAULTS, NUMAB_TIERING_DEFAULTS, nextScanPeriodMs } from '../kernel'
import type { ScanPassEnd } from './api'
import { knob } from './knob'

/**
 * The NUMA-balancing knobs that numa-balancing-tiering, numa-balancing and tpp share, written once
 * so their ranges, units and kernel defaults cannot drift apart. Spread into a policy's
 * `z.strictObject({...})` where the knob belongs in its form.
 */

/** The scanner's knobs: kernel/sched/fair.c defaults [FAIR] (delay 1000 ms, period 1000..60000 ms, 256 MB). */
export function numabScannerKnobs(options: { periodMaxAdjustsThreshold: boolean }) {
  return {
    scanDelayMs: knob(
      z.number().min(0).max(3_600_000).default(NUMAB_SCANNER_DEFAULTS.scanDelayMs),
      {
        label: 'Scan delay',
        unit: 'ms',
        description: 'First scan after the task starts (numa_balancing_scan_delay_ms).',
      },
    ),
    scanPeriodMinMs: knob(
      z.number().positive().max(3_600_000).default(NUMAB_SCANNER_DEFAULTS.scanPeriodMinMs),
      {
        label: 'Shortest scan period',
        unit: 'ms',
        description: 'Shortest full scan period (numa_balancing_scan_period_min_ms).',
      },
    ),
    scanPeriodMaxMs: knob(
      z.number().positive().max(3_600_000).default(NUMAB_SCANNER_DEFAULTS.scanPeriodMaxMs),
      {
        label: 'Longest scan period',
        unit: 'ms',
        description: options.periodMaxAdjustsThreshold
          ? 'Longest full scan period, and the threshold-adjust period (numa_balancing_scan_period_max_ms).'
          : 'Longest full scan period (numa_balancing_scan_period_max_ms).',
      },
    ),
    scanSizeMB: knob(
      z.number().positive().max(1_048_576).default(NUMAB_SCANNER_DEFAULTS.scanSizeMB),
      {
        label: 'Scan size',
        unit: 'MB',
        description: 'Pages made PROT_NONE per scan window (numa_balancing_scan_size_mb).',
      },
    ),
  }
}

/**
 * Tiering mode's promotion gate: hot threshold, rate limit and its auto-adjust, kernel/sched/fair.c
 * defaults [FAIR]. `descriptionPrefix` says in which mode they apply (e.g. 'Tiering: ').
 */
export function tieringGateKnobs(descriptionPrefix = '') {
  // 'Tiering: ' + 'hint-fault…' reads as one sentence; without a prefix the text starts capitalised.
  const say = (text: string) =>
    descriptionPrefix ? descriptionPrefix + text : text[0]!.toUpperCase() + text.slice(1)
  return {
    hotThresholdMs: knob(
      z.number().positive().max(3_600_000).default(NUMAB_TIERING_DEFAULTS.hotThresholdMs),
      {
        label: 'Hot threshold',
        unit: 'ms',
        description: say(`hint-fault latency below which a page is hot (hot_threshold_ms).`),
      },
    ),
    rateLimitMBps: knob(
      z.number().positive().max(1e7).default(NUMAB_TIERING_DEFAULTS.rateLimitMBps),
      {
        label: 'Promotion rate limit',
        unit: 'MB/s',
        description: say(
          `promotion candidates per target node and second at most (numa_balancing_promote_rate_limit_MBps).`,
        ),
      },
    ),
    thresholdAutoAdjust: knob(z.boolean().default(true), {
      label: 'Adjust the threshold',
      unit: '',
      description: say(
        `adjust the hot threshold every scan_period_max towards the rate limit, as the kernel does.`,
      ),
    }),
  }
}

/** /sys/kernel/mm/numa/demotion_enabled defaults to false [ABI-NUMA]; tiering setups turn it on. */
export const demotionEnabledKnob = () =>
  knob(z.boolean().default(true), {
    label: 'Demotion',
    unit: '',
    description:
      'kswapd demotes cold pages to the next tier instead of reclaiming them (demotion_enabled).',
  })

/** The hint-fault subscription of a scanner with these knobs (tiering mode scans slow tiers only). */
export const numabScannerSubscription = (
  k: { scanDelayMs: number; scanPeriodMinMs: number; scanPeriodMaxMs: number; scanSizeMB: number },
  mode: 'normal' | 'tiering' = 'tiering',
) => ({
  hintFaults: {
    mode,
    scanDelayMs: k.scanDelayMs,
    scanPeriodMinMs: k.scanPeriodMinMs,
    scanPeriodMaxMs: k.scanPeriodMaxMs,
    scanSizeMB: k.scanSizeMB,
  },
})

/**
 * Tiering mode's scan period (task_numa_fault, update_task_scan_period [FAIR]): only pages promoted
 * in the fault count (remote and private), so a pass that promoted nothing leaves the period, and
 * one that promoted pages lets it grow towards scan_period_max. numa-balancing-tiering and tpp
 * count their promotions here and answer `nextScanPeriodMs` with it.
 */
export class PromotionsPerScanPass {
  /** Pages promoted in the fault by each process since its scanner's last pass ended. */
  private readonly promoted: number[] = []

  constructor(
    private readonly k: {
      scanDelayMs: number
      scanPeriodMinMs: number
      scanPeriodMaxMs: number
      scanSizeMB: number
    },
  ) {}

  count(process: number): void {
    this.promoted[process] = (this.promoted[process] ?? 0) + 1
  }

  /** The period after `pass`, which ends the process's count. */
  nextPeriodMs(pass: ScanPassEnd): number {
    const promoted = this.promoted[pass.process] ?? 0
    this.promoted[pass.process] = 0
    if (promoted === 0) return pass.periodMs
    const k = this.k
    return nextScanPeriodMs(
      { periodMs: pass.periodMs, rssBytes: pass.rssBytes },
      {
        localFaults: 0,
        remoteFaults: promoted,
        privateFaults: promoted,
        sharedFaults: 0,
        failedMigrations: 0,
      },
      {
        scanDelayMs: k.scanDelayMs,
        scanPeriodMinMs: k.scanPeriodMinMs,
        scanPeriodMaxMs: k.scanPeriodMaxMs,
        scanSizeMB: k.scanSizeMB,
      },
    )
  }
}
