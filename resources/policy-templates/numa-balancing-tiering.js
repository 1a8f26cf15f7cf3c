// NUMA balancing in tiering mode (kernel.numa_balancing = 2), written as a user policy. It makes
// the same decisions as the built-in policy "numa-balancing-tiering" and gives byte-identical
// results (a test checks it): copy it and change what you want to try.
// Kernel sources: kernel/sched/fair.c should_numa_migrate_memory, numa_promotion_rate_limit,
// numa_promotion_adjust_threshold, pgdat_free_space_enough, update_task_scan_period [FAIR].

const KERNEL_PAGE_BYTES = 4096
const ADJUST_STEPS = 16 // NUMA_MIGRATION_ADJUST_STEPS
const MAX_SCAN_WINDOW_MB = 2560
const pages = (bytes) => Math.floor(bytes / KERNEL_PAGE_BYTES)

/** pgdat_free_space_enough: free > WMARK_PROMO + max(1 GiB, present / 16). */
function freeSpaceEnough(freeBytes, promoWmarkBytes, presentBytes) {
  const enough = Math.max(
    (1024 * 1024 * 1024) / KERNEL_PAGE_BYTES,
    Math.floor(pages(presentBytes) / 16),
  )
  return pages(freeBytes) > pages(promoWmarkBytes) + enough
}

/**
 * One promotion target node's state (pgdat nbp_threshold, nbp_rl_*, nbp_th_*). `node`: what the
 * checks read of the node that never changes (read once: every hint fault asks).
 */
function makeGate(hotThresholdMs, rateLimitMBps, scanPeriodMaxMs, node) {
  const rateLimitPages = (rateLimitMBps * 1024 * 1024) / KERNEL_PAGE_BYTES
  const g = { nbp: 0, cand: 0, rlStart: 0, rlNr: 0, thStart: 0, thNr: 0 }
  const threshold = () => g.nbp || hotThresholdMs
  g.thresholdMs = threshold
  g.boundBase = () => Math.max(threshold(), hotThresholdMs)
  g.nextAdjust = (nowMs) => Math.max(nowMs, g.thStart + scanPeriodMaxMs)
  g.maxThreshold = (nowMs, tMs) => {
    const unit = Math.floor((hotThresholdMs * 2) / ADJUST_STEPS)
    const first = g.nextAdjust(nowMs)
    const n = tMs > first ? 1 + Math.floor((tMs - first) / scanPeriodMaxMs) : 0
    return Math.min(hotThresholdMs * 2, g.boundBase() + unit * n)
  }
  const adjust = (nowMs) => {
    if (!(nowMs - g.thStart > scanPeriodMaxMs)) return
    g.thStart = nowMs
    const refCand = Math.floor((rateLimitPages * scanPeriodMaxMs) / 1000)
    const diff = g.cand - g.thNr
    const unit = Math.floor((hotThresholdMs * 2) / ADJUST_STEPS)
    let th = g.nbp || hotThresholdMs
    if (diff > Math.floor((refCand * 11) / 10)) th = Math.max(th - unit, unit)
    else if (diff < Math.floor((refCand * 9) / 10)) th = Math.min(th + unit, hotThresholdMs * 2)
    g.thNr = g.cand
    g.nbp = th
  }
  const rateLimited = (nowMs, nr) => {
    g.cand += nr
    if (nowMs - g.rlStart > 1000) {
      g.rlStart = nowMs
      g.rlNr = g.cand
    }
    return g.cand - g.rlNr >= rateLimitPages
  }
  g.decide = (nowMs, scanTimeMs, free) => {
    const nr = node.folioPages
    if (freeSpaceEnough(free, node.promoWmarkBytes, node.presentBytes)) {
      g.nbp = 0
      return 'promote-free-space'
    }
    adjust(nowMs)
    if (nowMs - scanTimeMs >= threshold()) return 'reject-cold'
    return rateLimited(nowMs, nr) ? 'reject-rate-limited' : 'promote-hot'
  }
  return g
}

/** task_scan_max for a task of rssBytes (no numa_group). */
function taskScanMaxMs(rssBytes, k) {
  const scanPages = pages(k.scanSizeMB * 1024 * 1024)
  const windows = Math.ceil((pages(rssBytes) || scanPages) / scanPages)
  const perS = k.scanSizeMB < MAX_SCAN_WINDOW_MB ? Math.floor(MAX_SCAN_WINDOW_MB / k.scanSizeMB) : 1
  const min = Math.max(Math.floor(1000 / perS), Math.floor(k.scanPeriodMinMs / windows))
  return Math.max(min, Math.floor(k.scanPeriodMaxMs / windows))
}

export default {
  name: 'NUMA balancing, tiering mode (script)',
  description:
    'numa_balancing=2 as a user script: hint faults on slow-tier pages promote pages whose fault latency is under the hot threshold, rate-limited per node, with kswapd demoting cold pages.',
  knobs: {
    hotThresholdMs: {
      default: 1000,
      min: 0.001,
      max: 3600000,
      unit: 'ms',
      description: 'Hint-fault latency below which a page is hot (hot_threshold_ms).',
    },
    rateLimitMBps: {
      default: 65536,
      min: 0.001,
      max: 1e7,
      unit: 'MB/s',
      description: 'Promotion candidates per target node and second at most.',
    },
    thresholdAutoAdjust: {
      default: true,
      description: 'Adjust the hot threshold every scan_period_max, as the kernel does.',
    },
    scanDelayMs: {
      default: 1000,
      min: 0,
      max: 3600000,
      unit: 'ms',
      description: 'First scan after the task starts.',
    },
    scanPeriodMinMs: {
      default: 1000,
      min: 0.001,
      max: 3600000,
      unit: 'ms',
      description: 'Shortest full scan period.',
    },
    scanPeriodMaxMs: {
      default: 60000,
      min: 0.001,
      max: 3600000,
      unit: 'ms',
      description: 'Longest full scan period, and the threshold-adjust period.',
    },
    scanSizeMB: {
      default: 256,
      min: 0.001,
      max: 1048576,
      unit: 'MB',
      description: 'Pages made PROT_NONE per scan window.',
    },
    demotionEnabled: { default: true, description: 'kswapd demotes cold pages to the next tier.' },
    promotion: {
      default: 'sync',
      values: ['sync', 'async'],
      description: "'sync' migrates in the faulting task; 'async' hands it to a kernel thread.",
    },
  },
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
  create(k, ctx) {
    const adjustMs = k.thresholdAutoAdjust ? k.scanPeriodMaxMs : Infinity
    const gates = []
    const gateFor = (n) =>
      (gates[n] ??= makeGate(k.hotThresholdMs, k.rateLimitMBps, adjustMs, {
        folioPages: Math.max(1, pages(ctx.pageBytes)),
        promoWmarkBytes: ctx.watermarks(n).promoBytes,
        presentBytes: ctx.nodeCapacityBytes(n),
      }))
    const fresh = makeGate(k.hotThresholdMs, k.rateLimitMBps, adjustMs)
    const topTier = []
    for (let n = 0; n < ctx.nodeCount; n++) if (ctx.isTopTier(n)) topTier.push(n)
    const promotedInPass = []
    return {
      // The threshold the auto-adjust settled on (nbp_threshold [FAIR]): a node no fault reached
      // yet still has hot_threshold.
      onEpoch(ctx) {
        let ms = 0
        for (const n of topTier) ms = Math.max(ms, (gates[n] ?? fresh).thresholdMs())
        ctx.publish('hotThresholdMs', ms)
      },
      // The cut-off for the epoch as steps: no fault with a latency at or above the highest
      // threshold any target can have by its time is ever acted on, so the engine may count
      // those faults without calling onHintFault (as the kernel drops them after the same work).
      ignoredHintFaultLatencyMs(ctx) {
        const nowMs = ctx.nowS * 1000
        let flatMs = 0
        let flatUntilMs = Infinity
        for (const n of topTier) {
          if (
            freeSpaceEnough(
              ctx.nodeFreeBytes(n),
              ctx.watermarks(n).promoBytes,
              ctx.nodeCapacityBytes(n),
            )
          )
            return Infinity
          const g = gates[n] ?? fresh
          flatMs = Math.max(flatMs, g.boundBase())
          flatUntilMs = Math.min(flatUntilMs, g.nextAdjust(nowMs))
        }
        const untilMs = [flatUntilMs]
        const latencyMs = [Math.min(k.hotThresholdMs * 2, flatMs)]
        if (flatUntilMs === Infinity) return latencyMs[0]
        // After the first possible adjustment: the highest gate bound, a step function whose
        // breaks are each gate's next adjustment plus whole scan periods (at most 16 steps each).
        const breaks = new Set()
        for (const n of topTier) {
          const first = (gates[n] ?? fresh).nextAdjust(nowMs)
          for (let i = 0; i <= ADJUST_STEPS + 1; i++) breaks.add(first + i * adjustMs)
        }
        const sorted = [...breaks].filter((b) => b > flatUntilMs).sort((a, b) => a - b)
        let from = flatUntilMs
        for (const b of [...sorted, Infinity]) {
          const probe = b === Infinity ? from + adjustMs / 2 : (from + b) / 2
          let cutoff = 0
          for (const n of topTier)
            cutoff = Math.max(cutoff, (gates[n] ?? fresh).maxThreshold(nowMs, probe))
          if (b === Infinity) latencyMs.push(cutoff)
          else {
            untilMs.push(b)
            latencyMs.push(cutoff)
          }
          from = b
        }
        return {
          untilMs,
          latencyMs: [...latencyMs.slice(0, untilMs.length), latencyMs[latencyMs.length - 1]],
        }
      },
      nextScanPeriodMs(pass) {
        const promoted = promotedInPass[pass.process] ?? 0
        promotedInPass[pass.process] = 0
        if (promoted === 0) return pass.periodMs
        // Only remote private faults count in tiering mode: the period doubles up to task_scan_max.
        return Math.min(taskScanMaxMs(pass.rssBytes, k), pass.periodMs * 2)
      },
      onHintFault(fault, ctx) {
        if (ctx.isTopTier(fault.node) || !ctx.isTopTier(fault.cpuNode)) return
        const target = fault.cpuNode
        const verdict = gateFor(target).decide(
          fault.faultTimeMs,
          fault.scanTimeMs,
          ctx.nodeFreeBytes(target),
        )
        if (
          (verdict === 'promote-hot' || verdict === 'promote-free-space') &&
          ctx.migrate(fault.frame, target, k.promotion, fault.process) === 'migrated' &&
          k.promotion === 'sync'
        )
          promotedInPass[fault.process] = (promotedInPass[fault.process] ?? 0) + 1
      },
    }
  },
}
