import { nextScanPeriodMs } from '../../kernel'
import { definePolicy, type HintFault, type PolicyContext, type PolicyInstance } from '../api'
import { numabScannerSubscription } from '../numa-balancing-knobs'
import { TieringPromoter } from '../tiering-promotion'
import { FaultStats } from './fault-stats'
import { hasNormal, hasTiering, numaBalancingKnobs, type NumaBalancingKnobs } from './knobs'
import { shouldMigrateNormal } from './memory-migration'
import { TaskPlacement } from './task-placement'

/**
 * Classic NUMA balancing (kernel.numa_balancing = 1, 2 or 3 [KRST][FAIR]) with CPU placement and
 * memory placement as separate switches, to ask the LSF/MM/BPF 2024 question: should memory
 * balancing be decoupled from CPU balancing? Both halves read one signal, the NUMA hint faults of
 * the page-table scanner (all nodes in normal mode; only slow tiers in tiering-only mode [MPROT]).
 *
 * - taskPlacement: per-process fault statistics → preferred node (task_numa_placement) → thread
 *   moves and swaps under the imbalance check (task_numa_migrate); see task-placement.ts.
 * - memoryMigration: a faulting page moves to the faulting thread's node, through the two-stage
 *   cpupid filter on top-tier pages (memory-migration.ts), and through the hot threshold and
 *   promotion rate limit on slow-tier pages in tiering mode (tiering-promotion.ts). Migrations run
 *   in the faulting thread (migrate_misplaced_folio), as the kernel does.
 * - Mode 1 alone does not promote across tiers, as the March 2026 fix makes it ("with only
 *   NUMA_BALANCING_NORMAL, pages on a lower tier could still be promoted, because last_cpupid
 *   holds a valid CPU" [NUMAB-FIX] in upstream-2026.md); `legacyCrossTierPromotion` keeps mainline
 *   before it, where such a page passes the two-stage filter like any other.
 *
 * task_numa_fault's statistics skip a fault whose page stays on a slow tier in tiering mode, or
 * whose last_cpupid is not valid (a first fault) [FAIR]; a page migrated in the fault counts on
 * its new node. The scan period adapts from each pass's counted faults (update_task_scan_period);
 * a pass with none leaves it, since task_numa_placement runs only from a counted fault.
 */
export const numaBalancing = definePolicy({
  id: 'numa-balancing',
  name: 'NUMA balancing (tasks and/or memory)',
  description:
    'numa_balancing=1/2/3 with task placement (preferred node, thread moves and swaps) and memory migration (two-stage cpupid filter; hot threshold and rate limit on slow tiers) switched separately.',
  knobs: numaBalancingKnobs,
  subscriptions: (k) => numabScannerSubscription(k, hasNormal(k.mode) ? 'normal' : 'tiering'),
  // In tiering mode kswapd balances a node up to WMARK_PROMO [VMS].
  reclaim: (k) => ({
    demotionEnabled: k.demotionEnabled,
    balanceTo: hasTiering(k.mode) ? 'promo' : 'high',
  }),
  series: {
    preferredNodeChanges: {
      label: 'Preferred-node changes (task_numa_placement)',
      unit: 'changes/s',
      better: 'lower',
    },
    preferredFaultShare: {
      label: "Share of a process's NUMA faults on its preferred node (mean over CPU processes)",
      unit: 'ratio',
      better: 'higher',
    },
    hotThresholdMs: {
      label: 'Hot threshold in force, tiering modes (highest over top-tier nodes)',
      unit: 'ms',
      better: 'neutral',
    },
  },
  create: (k, ctx) => createNumaBalancing(k, ctx),
})

function createNumaBalancing(k: NumaBalancingKnobs, ctx: PolicyContext): PolicyInstance {
  const normal = hasNormal(k.mode)
  const tiering = hasTiering(k.mode)
  const stats = new FaultStats(ctx.processes.length, ctx.nodeCount, (n) => ctx.nearestCpuNode(n))
  const promoter = tiering ? new TieringPromoter(ctx, k) : null
  const placement = normal && k.taskPlacement ? new TaskPlacement(ctx, stats) : null
  const scanParams = {
    scanDelayMs: k.scanDelayMs,
    scanPeriodMinMs: k.scanPeriodMinMs,
    scanPeriodMaxMs: k.scanPeriodMaxMs,
    scanSizeMB: k.scanSizeMB,
  }
  const periodMs = new Float64Array(ctx.processes.length).fill(k.scanPeriodMinMs)
  const cpuProcs = ctx.processes.filter((p) => p.kind === 'cpu').map((p) => p.index)

  /** Where the fault's page should go now, or -1 (should_numa_migrate_memory, mpol_misplaced). */
  const migrationTarget = (fault: HintFault): number => {
    const src = fault.node
    const dst = fault.cpuNode
    if (src === dst) return -1
    if (!ctx.isTopTier(src)) {
      // A slow-tier page: the hot threshold and rate limit in tiering mode (its cpupid holds the
      // scan time there, folio_use_access_time), never in mode 1 after the fix [NUMAB-FIX]; before
      // it, a valid last_cpupid let the page through the normal filter.
      if (tiering) return ctx.isTopTier(dst) && promoter!.shouldPromote(fault, dst) ? dst : -1
      if (!k.legacyCrossTierPromotion || fault.lastCpuNode < 0) return -1
    } else if (!normal) return -1
    return shouldMigrateNormal(fault, src, stats) ? dst : -1
  }

  const instance: PolicyInstance = {
    onHintFault: (fault) => {
      const src = fault.node
      let memNode = src
      let failed = false
      if (k.memoryMigration) {
        const target = migrationTarget(fault)
        if (target >= 0) {
          const outcome = ctx.migrate(fault.frame, target, 'sync', fault.process)
          if (outcome === 'migrated') memNode = target
          else if (outcome === 'no-memory') failed = true
        }
      }
      // task_numa_fault's early return: no statistics for a page left on a slow tier in tiering
      // mode, nor for one without a valid last_cpupid [FAIR].
      const slowTierTime = tiering && !ctx.isTopTier(src)
      if (!ctx.isTopTier(memNode) && (tiering || fault.lastCpuNode < 0)) return
      // A slow-tier folio's cpupid held its access time: the fault reads as first, so private.
      const priv = slowTierTime || fault.private
      stats.record(fault.process, memNode, fault.cpuNode, priv, src === fault.cpuNode, failed)
    },
    nextScanPeriodMs: (pass) => {
      const p = pass.process
      if (stats.passFaults(p) === 0) return pass.periodMs
      stats.place(p)
      const next = nextScanPeriodMs(
        { periodMs: pass.periodMs, rssBytes: pass.rssBytes },
        stats.takePassStats(p),
        scanParams,
      )
      periodMs[p] = next
      return next
    },
    onEpoch: () => {
      const nowMs = ctx.nowS * 1000
      placement?.run(nowMs, (p) => periodMs[p])
      ctx.publish('preferredNodeChanges', stats.takeChanges() / ctx.epochS)
      let share = 0
      let counted = 0
      for (const p of cpuProcs)
        if (stats.preferred[p] >= 0) {
          share += stats.preferredShare(p)
          counted++
        }
      ctx.publish('preferredFaultShare', counted > 0 ? share / counted : 0)
      ctx.publish('hotThresholdMs', promoter ? promoter.thresholdInForceMs() : 0)
    },
  }
  // Tiering-only mode sends every fault through the promotion gates, so the faults no gate can
  // accept may be counted in bulk; with the normal bit every fault feeds the statistics.
  if (!normal && promoter)
    instance.ignoredHintFaultLatencyMs = (faultTimeMs) => promoter.ignoredLatencyMs(faultTimeMs)
  return instance
}
