import { z } from 'zod'
import { definePolicy } from './api'
import { knob } from './knob'
import {
  demotionEnabledKnob,
  numabScannerKnobs,
  tieringGateKnobs,
  numabScannerSubscription,
  PromotionsPerScanPass,
} from './numa-balancing-knobs'
import { TieringPromoter } from './tiering-promotion'

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
  ...tieringGateKnobs(),
  ...numabScannerKnobs({ periodMaxAdjustsThreshold: true }),
  demotionEnabled: demotionEnabledKnob(),
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
  subscriptions: (k) => numabScannerSubscription(k),
  reclaim: (k) => ({ demotionEnabled: k.demotionEnabled, balanceTo: 'promo' }),
  series: {
    hotThresholdMs: {
      label: 'Hot threshold in force (highest over top-tier nodes)',
      unit: 'ms',
      better: 'neutral',
    },
  },
  create: (k, ctx) => {
    const promoter = new TieringPromoter(ctx, k)
    const passes = new PromotionsPerScanPass(k)
    return {
      // The threshold the auto-adjust settled on (nbp_threshold [FAIR]): a node no fault reached
      // yet still has hot_threshold.
      onEpoch: () => ctx.publish('hotThresholdMs', promoter.thresholdInForceMs()),
      ignoredHintFaultLatencyMs: (faultTimeMs) => promoter.ignoredLatencyMs(faultTimeMs),
      nextScanPeriodMs: (pass) => passes.nextPeriodMs(pass),
      onHintFault: (fault) => {
        // Faults on top-tier pages do not happen in tiering mode (not scanned); be safe anyway.
        if (ctx.isTopTier(fault.node) || !ctx.isTopTier(fault.cpuNode)) return
        const target = fault.cpuNode
        if (
          promoter.shouldPromote(fault, target) &&
          ctx.migrate(fault.frame, target, k.promotion, fault.process) === 'migrated' &&
          k.promotion === 'sync'
        )
          passes.count(fault.process)
      },
    }
  },
})
