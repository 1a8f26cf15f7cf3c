import { z } from 'zod'
import { demoteWatermarkBytes } from '../kernel'
import type { AllocationRequest, PolicyContext } from './api'
import { definePolicy } from './api'
import { knob } from './knob'
import {
  numabScannerKnobs,
  numabScannerSubscription,
  PromotionsPerScanPass,
} from './numa-balancing-knobs'

/**
 * TPP, Meta's transparent page placement (Maruf et al., ASPLOS'23) [TPP][TPP-P], as its patches
 * put it on top of NUMA balancing's tiering mode of v5.18:
 * - Decoupled allocation and reclaim: a top-tier node's kswapd is woken as soon as its free
 *   memory falls below WMARK_DEMOTE = clamp(managed × demote_scale_factor / 10000, 2·HIGH,
 *   managed) and demotes cold pages until that much is free, so new allocations and promotions
 *   find room without waiting for reclaim; allocation itself still checks the usual watermarks.
 * - Promotion through NUMA-balancing hint faults on slow-tier pages (top-tier pages are not
 *   scanned [MPROT]), in the faulting task, with the active-LRU filter: a page on the inactive
 *   list of the slow tier is only mark_page_accessed on a hint fault; the next fault, the page
 *   now active, promotes it. No hot threshold and no rate limit (those came upstream later).
 *   A promotion needs the target's high watermark + the page free, else kswapd is woken [MIG].
 * - Page-type-aware allocation: file cache and tmpfs go to the slow tier first, anonymous memory
 *   to the local node (the paper's placement; regions say which with `backing`).
 * The scan period adapts as in tiering mode (numa-balancing-tiering.ts): faults on pages that
 * stay on the slow tier are not counted, promoted ones count as remote and private [FAIR].
 */
const DEMOTE_SCALE_RANGE = 'must be a whole number from 1 to 10000 (1/10000 of the node; 200 = 2 %)'

const knobs = z.strictObject({
  // TPP v1 patch 3/5 [TPP-P]: demote_scale_factor defaults to 200 (2 % of the node).
  demoteScaleFactor: knob(
    z
      .number()
      .int({ error: DEMOTE_SCALE_RANGE })
      .min(1, { error: DEMOTE_SCALE_RANGE })
      .max(10000, { error: DEMOTE_SCALE_RANGE })
      .default(200),
    {
      label: 'Demote scale factor',
      unit: '1/10000',
      description:
        'WMARK_DEMOTE as a share of each top-tier node, in 1/10000 (demote_scale_factor; 200 = 2 %): kswapd demotes until this much is free.',
    },
  ),
  activeLruFilter: knob(z.boolean().default(true), {
    label: 'Active-LRU promotion filter',
    unit: '',
    description:
      'Promote a slow-tier page on its second hint fault only: the first just marks the inactive page accessed.',
  }),
  pageTypeAware: knob(z.boolean().default(true), {
    label: 'Page-type-aware placement',
    unit: '',
    description:
      "Allocate file-backed and tmpfs regions (workload 'backing') on the slow tier first; anonymous memory stays local.",
  }),
  ...numabScannerKnobs({ periodMaxAdjustsThreshold: false }),
})

/** Slow-tier nodes for a file page of a process at `home`: preferred demotion targets first. */
function slowNodesFor(ctx: PolicyContext, home: number): number[] {
  const a = ctx.analysis
  const key = String(home)
  const order = [...(a.demotionTargets[key] ?? []), ...(a.demotionFallback[key] ?? [])]
  if (order.length === 0)
    for (let n = 0; n < ctx.nodeCount; n++) if (!ctx.isTopTier(n)) order.push(n)
  return [...new Set(order)].filter((n) => !ctx.isTopTier(n) && ctx.nodeCapacityBytes(n) > 0)
}

export const tpp = definePolicy({
  id: 'tpp',
  name: 'TPP (Meta)',
  description:
    "TPP (ASPLOS'23): kswapd demotes proactively to a demote watermark (2 % free) so allocation never waits for reclaim; hint faults promote slow-tier pages on their second fault (active-LRU filter); file cache and tmpfs start on CXL.",
  knobs,
  subscriptions: (k) => numabScannerSubscription(k),
  reclaim: (k) => ({
    demotionEnabled: true,
    balanceTo: 'promo',
    demoteScaleFactor: k.demoteScaleFactor,
  }),
  series: {
    demoteWatermarkMiB: {
      label: 'Demote watermark (WMARK_DEMOTE, summed over top-tier nodes)',
      unit: 'MiB',
      better: 'neutral',
    },
    topTierFreeMiB: { label: 'Free on top-tier nodes', unit: 'MiB', better: 'neutral' },
    filteredHintFaults: {
      label: 'Hint faults that only marked a page accessed (active-LRU filter)',
      unit: 'faults/s',
      better: 'neutral',
    },
  },
  create: (k, ctx) => {
    const topTier: number[] = []
    let totalBytes = 0
    for (let n = 0; n < ctx.nodeCount; n++) {
      totalBytes += ctx.nodeCapacityBytes(n)
      if (ctx.isTopTier(n)) topTier.push(n)
    }
    let demoteMarkBytes = 0
    for (const n of topTier)
      demoteMarkBytes += demoteWatermarkBytes(
        ctx.nodeCapacityBytes(n),
        totalBytes,
        k.demoteScaleFactor,
      )
    // PG_active of slow-tier pages, one bit per frame: set by the first hint fault (the page was
    // inactive), cleared when the page is promoted (demoted pages land on the inactive list).
    const active = new Uint32Array((ctx.totalFrames >>> 5) + 1)
    let filtered = 0
    const passes = new PromotionsPerScanPass(k)

    const fileRegion = ctx.regions.map(
      (r) => k.pageTypeAware && (r.backing === 'file' || r.backing === 'tmpfs'),
    )
    const slowByHome = new Map<number, number[]>()
    const place = (req: AllocationRequest): number => {
      if (!fileRegion[req.region]) return req.defaultNode
      const home = ctx.processes[req.process].homeNode
      let nodes = slowByHome.get(home)
      if (!nodes) {
        nodes = slowNodesFor(ctx, home)
        slowByHome.set(home, nodes)
      }
      // The first slow node with a frame above its low watermark; else the default (local).
      for (const n of nodes)
        if (ctx.nodeFreeBytes(n) - ctx.pageBytes >= ctx.watermarks(n).lowBytes) return n
      return req.defaultNode
    }

    return {
      place: fileRegion.some(Boolean) ? place : undefined,
      onEpoch: () => {
        let free = 0
        for (const n of topTier) free += ctx.nodeFreeBytes(n)
        ctx.publish('demoteWatermarkMiB', demoteMarkBytes / 2 ** 20)
        ctx.publish('topTierFreeMiB', free / 2 ** 20)
        ctx.publish('filteredHintFaults', filtered / ctx.epochS)
        filtered = 0
      },
      nextScanPeriodMs: (pass) => passes.nextPeriodMs(pass),
      onHintFault: (fault) => {
        if (ctx.isTopTier(fault.node) || !ctx.isTopTier(fault.cpuNode)) return
        const f = fault.frame
        const bit = 1 << (f & 31)
        if (k.activeLruFilter && (active[f >>> 5] & bit) === 0) {
          // Inactive: mark_page_accessed only; the page is active for its next fault [TPP-P].
          active[f >>> 5] |= bit
          filtered++
          return
        }
        if (ctx.migrate(f, fault.cpuNode, 'sync', fault.process) === 'migrated') {
          active[f >>> 5] &= ~bit
          passes.count(fault.process)
        }
      },
    }
  },
})
