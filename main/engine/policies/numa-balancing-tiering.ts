import { z } from 'zod'
import {
  freeSpaceEnough,
  NUMAB_SCANNER_DEFAULTS,
  NUMAB_TIERING_DEFAULTS,
  nextScanPeriodMs,
  TieringPromotionGate,
} from '../kernel'
import { definePolicy } from './api'
import { knob } from './knob'

/**
 * NUMA balancing in memory-tiering mode (kernel.numa_balancing = 2) [KRST][FAIR]: the scanner
 * makes slow-tier pages PROT_NONE (top-tier pages are not scanned [MPROT]); a hint fault whose
 * latency (fault time − scan time) is below the hot threshold makes the page a promotion candidate
 * for the faulting CPU's node, limited per target node by the promotion rate limit, with the
 * threshold auto-adjusted every scan_period_max; when the target has plenty of free memory the
 * page is promoted unconditionally. The target must keep high watermark + the page free [MIG],
 * else its kswapd is woken. kswapd demotes cold pages (demotion_enabled) until the promo
 * watermark is free [VMS]. The promotion runs in the faulting task (synchronous) as in the kernel;
 * 'async' hands it to a kernel thread (what the pghot/kmigrated RFC proposes [PGHOT]).
 *
 * The scan period adapts as `task_numa_fault` and `update_task_scan_period` make it [FAIR]: fault
 * statistics skip faults whose page stays on a slow-tier node ("unnecessary for the slow memory
 * node for memory tiering mode"), so only pages promoted in the fault count, and those are remote
 * (the page was not on the CPU's node) and private (a tiering folio's cpupid holds its access time,
 * read as -1). With no local and no shared faults the period doubles, up to task_scan_max, at each
 * pass that promoted something; a pass that promoted nothing leaves it (task_numa_placement, which
 * adapts it, runs only from a counted fault). Asynchronous promotion leaves every fault uncounted.
 */
const knobs = z.strictObject({
  // kernel/sched/fair.c defaults [FAIR]
  hotThresholdMs: knob(
    z.number().positive().max(3_600_000).default(NUMAB_TIERING_DEFAULTS.hotThresholdMs),
    {
      label: 'Hot threshold',
      unit: 'ms',
      description: 'Hint-fault latency below which a page is hot (hot_threshold_ms).',
    },
  ),
  rateLimitMBps: knob(
    z.number().positive().max(1e7).default(NUMAB_TIERING_DEFAULTS.rateLimitMBps),
    {
      label: 'Promotion rate limit',
      unit: 'MB/s',
      description:
        'Promotion candidates per target node and second at most (numa_balancing_promote_rate_limit_MBps).',
    },
  ),
  thresholdAutoAdjust: knob(z.boolean().default(true), {
    label: 'Adjust the threshold',
    unit: '',
    description:
      'Adjust the hot threshold every scan_period_max towards the rate limit, as the kernel does.',
  }),
  scanDelayMs: knob(z.number().min(0).max(3_600_000).default(NUMAB_SCANNER_DEFAULTS.scanDelayMs), {
    label: 'Scan delay',
    unit: 'ms',
    description: 'First scan after the task starts (numa_balancing_scan_delay_ms).',
  }),
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
      description:
        'Longest full scan period, and the threshold-adjust period (numa_balancing_scan_period_max_ms).',
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
  // /sys/kernel/mm/numa/demotion_enabled defaults to false [ABI-NUMA]; tiering setups turn it on.
  demotionEnabled: knob(z.boolean().default(true), {
    label: 'Demotion',
    unit: '',
    description:
      'kswapd demotes cold pages to the next tier instead of reclaiming them (demotion_enabled).',
  }),
  promotion: knob(z.enum(['sync', 'async']).default('sync'), {
    label: 'Promotion',
    unit: '',
    description:
      "'sync' migrates in the faulting task, as the kernel does; 'async' hands it to a kernel thread.",
  }),
})

export const numaBalancingTiering = definePolicy({
  id: 'numa-balancing-tiering',
  name: 'NUMA balancing, tiering mode',
  description:
    'numa_balancing=2: hint faults on slow-tier pages promote pages whose fault latency is under the hot threshold, rate-limited per node, with kswapd demoting cold pages.',
  knobs,
  subscriptions: (k) => ({
    hintFaults: {
      mode: 'tiering',
      scanDelayMs: k.scanDelayMs,
      scanPeriodMinMs: k.scanPeriodMinMs,
      scanPeriodMaxMs: k.scanPeriodMaxMs,
      scanSizeMB: k.scanSizeMB,
    },
  }),
  reclaim: (k) => ({ demotionEnabled: k.demotionEnabled, balanceTo: 'promo' }),
  series: {
    hotThresholdMs: {
      label: 'Hot threshold in force (highest over top-tier nodes)',
      unit: 'ms',
      better: 'neutral',
    },
  },
  create: (k, ctx) => {
    const gateParams = {
      hotThresholdMs: k.hotThresholdMs,
      rateLimitMBps: k.rateLimitMBps,
      scanPeriodMaxMs: k.thresholdAutoAdjust ? k.scanPeriodMaxMs : Infinity,
    }
    // Per target node, created on its first fault (an array: a Map lookup per fault shows).
    const gates: Array<TieringPromotionGate | undefined> = []
    const gateFor = (node: number): TieringPromotionGate => {
      let g = gates[node]
      if (!g) {
        g = new TieringPromotionGate(gateParams)
        gates[node] = g
      }
      return g
    }
    // Pages promoted in the fault by each process since its scanner's last pass ended.
    const promotedInPass: number[] = []
    // One request object for every fault: this runs hundreds of thousands of times per second.
    const req = {
      nowMs: 0,
      scanTimeMs: 0,
      folioBytes: ctx.pageBytes,
      targetFreeBytes: 0,
      targetPromoWmarkBytes: 0,
      targetPresentBytes: 0,
    }
    // The cutoff's terms, fixed for an epoch (faults are drawn at its start, before any is
    // delivered): whether a top-tier node has plenty of free memory, and each top-tier node's
    // bound (a node no fault reached yet has a fresh gate). Until the earliest possible
    // adjustment the cutoff is the highest base; after it, each gate's own bound counts.
    const fresh = new TieringPromotionGate(gateParams)
    const topTier: number[] = []
    for (let n = 0; n < ctx.nodeCount; n++) if (ctx.isTopTier(n)) topTier.push(n)
    let boundEpoch = -1
    let nowMs = 0
    let anyFreeSpace = false
    let flatMs = 0
    let flatUntilMs = 0
    const refreshBound = (): void => {
      boundEpoch = ctx.epoch
      nowMs = ctx.nowS * 1000
      anyFreeSpace = false
      flatMs = 0
      flatUntilMs = Infinity
      for (const n of topTier) {
        if (
          freeSpaceEnough(
            ctx.nodeFreeBytes(n),
            ctx.watermarks(n).promoBytes,
            ctx.nodeCapacityBytes(n),
          )
        )
          anyFreeSpace = true
        const g = gates[n] ?? fresh
        flatMs = Math.max(flatMs, g.boundBaseMs)
        flatUntilMs = Math.min(flatUntilMs, g.nextAdjustMs(nowMs))
      }
    }
    const maxThresholdMs = (faultTimeMs: number): number => {
      if (faultTimeMs <= flatUntilMs) return Math.min(k.hotThresholdMs * 2, flatMs)
      let cutoff = 0
      for (const n of topTier)
        cutoff = Math.max(cutoff, (gates[n] ?? fresh).maxThresholdMs(nowMs, faultTimeMs))
      return cutoff
    }
    return {
      // The threshold the auto-adjust settled on (nbp_threshold [FAIR]): a node no fault reached
      // yet still has hot_threshold.
      onEpoch: () => {
        let ms = 0
        for (const n of topTier) ms = Math.max(ms, (gates[n] ?? fresh).thresholdMs)
        ctx.publish('hotThresholdMs', ms)
      },
      // A fault is rejected as cold when its latency reaches the threshold, unless the target has
      // plenty of free memory (then every fault promotes): no fault with a latency at or above the
      // highest threshold any target can have by then (TieringPromotionGate.maxThresholdMs) is
      // ever acted on.
      ignoredHintFaultLatencyMs: (faultTimeMs) => {
        if (boundEpoch !== ctx.epoch) refreshBound()
        return anyFreeSpace ? Infinity : maxThresholdMs(faultTimeMs)
      },
      nextScanPeriodMs: (pass) => {
        const promoted = promotedInPass[pass.process] ?? 0
        promotedInPass[pass.process] = 0
        if (promoted === 0) return pass.periodMs
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
      },
      onHintFault: (fault) => {
        // Faults on top-tier pages do not happen in tiering mode (not scanned); be safe anyway.
        if (ctx.isTopTier(fault.node) || !ctx.isTopTier(fault.cpuNode)) return
        const target = fault.cpuNode
        req.nowMs = fault.faultTimeMs
        req.scanTimeMs = fault.scanTimeMs
        req.targetFreeBytes = ctx.nodeFreeBytes(target)
        req.targetPromoWmarkBytes = ctx.watermarks(target).promoBytes
        req.targetPresentBytes = ctx.nodeCapacityBytes(target)
        const verdict = gateFor(target).decide(req)
        if (
          (verdict === 'promote-hot' || verdict === 'promote-free-space') &&
          ctx.migrate(fault.frame, target, k.promotion, fault.process) === 'migrated' &&
          k.promotion === 'sync'
        )
          promotedInPass[fault.process] = (promotedInPass[fault.process] ?? 0) + 1
      },
    }
  },
})
