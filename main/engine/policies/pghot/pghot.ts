import type { AccessSample, CxlHotRecord, HintFault, PolicyContext } from '../api'
import { definePolicy } from '../api'
import { CostAwareGate, readLatencyTable } from '../cost-aware-gate'
import {
  framesPerWake,
  KMIGRATED_WALK_NS_PER_FRAME,
  PGHOT_RECORD_CPU_S,
  ReadyFrames,
  smallBatchExtraNs,
} from './kmigrated'
import { pghotKnobs, resolveTargetNode, topTierMemoryNodes, type PghotKnobs } from './knobs'
import { pghotSubscriptions } from './sources'
import { HotnessStore } from './hotness-store'

/**
 * pghot, the hot-memory abstraction of AMD's kpromoted → kmigrated series (v7, May 2026)
 * [PGHOT-v7][PGHOT-v6][PGHOT]: every source (hint faults, IBS/PEBS samples, a PTE accessed-bit
 * scan, a CXL CHMU) records accesses into one per-frame hotness record (store.ts); a record that
 * reaches freq_threshold accesses within the window gets its ready bit; one kmigrated per
 * lower-tier node wakes every kmigrated_sleep_ms, walks its PFNs for ready frames and promotes
 * them in batches, rate-limited, to the fixed target node or (precise mode) the node that
 * accessed them. Promotion is asynchronous (the engine's kernel-thread queues), so no task pays
 * for a migration; `promotion: 'sync'` instead migrates in the task whose hint fault or sample
 * made the frame ready, as NUMA balancing does, for comparison. `costAware` adds the cost-aware
 * gate (../cost-aware-gate.ts). Pages are recorded only while on a lower tier (promotion
 * candidates); kswapd demotes as in tiering mode.
 */
export const pghot = definePolicy({
  id: 'pghot',
  name: 'pghot (hot-page tracking, kmigrated)',
  description:
    'Per-frame hotness records fed by hint faults, IBS/PEBS samples, PTE scans or a CXL CHMU; per-node kmigrated threads promote frames seen freqThreshold times in the window, asynchronously.',
  knobs: pghotKnobs,
  subscriptions: (k) => pghotSubscriptions(k.sources, k),
  reclaim: () => ({ demotionEnabled: true, balanceTo: 'promo' }),
  checkMachine: (k, analysis) => {
    resolveTargetNode(k, analysis)
  },
  series: {
    promoted: { label: 'Frames sent to promotion', unit: 'frames', better: 'neutral' },
    rejectedByCost: {
      label: 'Promotions rejected by the cost gate',
      unit: 'decisions',
      better: 'neutral',
    },
    readyFrames: { label: 'Ready frames waiting', unit: 'frames', better: 'neutral' },
    storeBytes: { label: 'Hotness store memory', unit: 'B', better: 'lower' },
    storeBytesPerFrame: { label: 'Hotness record size', unit: 'B/frame', better: 'lower' },
    accessorFallbacks: {
      label: 'Ready frames with no accessing node (fixed target used)',
      unit: 'frames',
      better: 'lower',
    },
  },
  create: (k: PghotKnobs, ctx: PolicyContext) => createPghot(k, ctx),
})

function createPghot(k: PghotKnobs, ctx: PolicyContext) {
  const fixedTarget = resolveTargetNode(k, ctx.analysis)
  const store = new HotnessStore(k.mode, ctx.totalFrames, k.freqThreshold, k.windowMs)
  const N = ctx.nodeCount
  const topMem = new Uint8Array(N)
  for (const n of topTierMemoryNodes(ctx.analysis)) topMem[n] = 1
  const lower: number[] = []
  for (let n = 0; n < N; n++) if (!ctx.isTopTier(n) && ctx.nodeCapacityBytes(n) > 0) lower.push(n)
  const ready: ReadyFrames[] = Array.from({ length: N }, () => new ReadyFrames())
  const budget = new Float64Array(N)
  const perWake = framesPerWake(k.rateLimitMBps, k.kmigratedSleepMs, ctx.pageBytes)
  const gate = k.costAware
    ? new CostAwareGate({ pageBytes: ctx.pageBytes, batchFrames: k.batchFrames })
    : null
  const latency = readLatencyTable(ctx)
  const extraNs = smallBatchExtraNs(ctx.pageBytes, k.batchFrames)
  // Record work, charged once an epoch: per process (in-task sources) and per node (kernel).
  const taskRecords = new Float64Array(ctx.processes.length)
  const kernelRecords = new Float64Array(N)
  let nextWakeMs = k.kmigratedSleepMs
  let promoted = 0
  let rejected = 0
  let fallbacks = 0

  const targetOf = (f: number): number => {
    if (k.target !== 'accessor') return fixedTarget
    const n = store.node(f)
    if (n >= 0 && topMem[n] === 1) return n
    fallbacks++
    return fixedTarget
  }

  /** Whether the gate lets the frame go to `target` now (always, without the gate). */
  const worthIt = (f: number, src: number, target: number, nowMs: number): boolean => {
    if (!gate) return true
    const c = ready[src].byFrame.get(f)
    const accessor = k.mode === 'precise' && store.node(f) >= 0 ? store.node(f) : target
    const hotMs = Math.max(k.kmigratedSleepMs, nowMs - (c?.sinceMs ?? nowMs))
    const accesses = c?.accesses ?? 1
    return gate.decide(
      {
        accessRatePerS: accesses / (hotMs / 1000),
        latencyGapNs: latency(accessor, src) - latency(accessor, target),
        expectedHotS: hotMs / 1000,
      },
      gate.price(ctx, src, target),
    )
  }

  /** One access reported by a source; `task` ≥ 0 when reported in that task's context. */
  const recordAccess = (
    f: number,
    accessor: number,
    nowMs: number,
    accesses: number,
    task: number,
  ): void => {
    const src = ctx.frameNode(f)
    if (src < 0 || ctx.isTopTier(src)) return
    if (task >= 0) taskRecords[task]++
    else kernelRecords[src]++
    if (store.record(f, accessor, nowMs)) {
      if (k.promotion === 'sync' && task >= 0) {
        promoteInTask(f, src, nowMs, accesses, task)
        return
      }
      ready[src].add(f, nowMs, accesses)
    } else if (store.ready(f)) {
      const c = ready[src].byFrame.get(f)
      if (c) c.accesses += accesses
    }
  }

  /** The NUMAB-2-like variant: the task that made the frame ready migrates it now. */
  const promoteInTask = (
    f: number,
    src: number,
    nowMs: number,
    accesses: number,
    task: number,
  ): void => {
    const target = targetOf(f)
    ready[src].add(f, nowMs, accesses)
    const go = budget[src] >= 1 && worthIt(f, src, target, nowMs)
    ready[src].byFrame.delete(f)
    if (go && ctx.migrate(f, target, 'sync', task) === 'migrated') {
      budget[src]--
      promoted++
      store.reset(f)
    } else {
      if (gate && !go) rejected++
      store.clearReady(f)
    }
  }

  /** kmigrated of `node`: walk the ready frames, promote what the budget (and the gate) allow. */
  const wake = (node: number, nowMs: number): void => {
    const frames = ctx.nodeCapacityBytes(node) / ctx.pageBytes
    ctx.chargeCpu(frames * KMIGRATED_WALK_NS_PER_FRAME * 1e-9, { kernelNode: node })
    const list = ready[node]
    if (list.size === 0) return
    let moved = 0
    for (const f of list.inPfnOrder()) {
      if (ctx.frameNode(f) !== node || !store.ready(f)) {
        list.byFrame.delete(f)
        continue
      }
      // Went cold: no access within the window; the record starts over.
      if (store.ageMs(f, nowMs) > k.windowMs) {
        list.byFrame.delete(f)
        store.reset(f)
        continue
      }
      if (budget[node] < 1) break
      const target = targetOf(f)
      if (!worthIt(f, node, target, nowMs)) {
        rejected++
        continue
      }
      const out = ctx.migrate(f, target, 'async', { kernelThread: `kmigrated${node}` })
      list.byFrame.delete(f)
      if (out === 'queued' || out === 'migrated') {
        budget[node]--
        promoted++
        moved++
        store.reset(f)
      } else store.clearReady(f)
    }
    if (moved > 0 && extraNs > 0) ctx.chargeCpu(moved * extraNs * 1e-9, { kernelNode: fixedTarget })
  }

  const samplesPeriod = (): number => ctx.subscriptions().samples?.period ?? 1
  return {
    onHintFault: (fault: HintFault) =>
      recordAccess(fault.frame, fault.cpuNode, fault.faultTimeMs, 1, fault.process),
    onSamples: (batch: readonly AccessSample[]) => {
      const nowMs = ctx.nowS * 1000
      const period = samplesPeriod()
      for (const s of batch)
        recordAccess(s.frame, ctx.processes[s.process].homeNode, nowMs, period, s.process)
    },
    // A-bit scans carry no time and no node: the scan's time stands for the access's.
    onAccessedBits: (scan: { accessed: readonly number[] }) => {
      const nowMs = ctx.nowS * 1000
      for (const f of scan.accessed) recordAccess(f, -1, nowMs, 1, -1)
    },
    onCxlHotRecords: (_node: number, records: readonly CxlHotRecord[]) => {
      const nowMs = ctx.nowS * 1000
      for (const r of records) recordAccess(r.frame, -1, nowMs, r.count, -1)
    },
    onEpoch: () => {
      const nowMs = ctx.nowS * 1000
      while (nowMs + 1e-9 >= nextWakeMs) {
        for (const n of lower) {
          budget[n] = Math.min(budget[n] + perWake, Math.max(perWake, 1))
          wake(n, nowMs)
        }
        nextWakeMs += k.kmigratedSleepMs
      }
      for (let p = 0; p < taskRecords.length; p++)
        if (taskRecords[p] > 0) {
          ctx.chargeCpu(taskRecords[p] * PGHOT_RECORD_CPU_S, { process: p })
          taskRecords[p] = 0
        }
      for (let n = 0; n < N; n++)
        if (kernelRecords[n] > 0) {
          ctx.chargeCpu(kernelRecords[n] * PGHOT_RECORD_CPU_S, { kernelNode: n })
          kernelRecords[n] = 0
        }
      let waiting = 0
      for (const n of lower) waiting += ready[n].size
      ctx.publish('promoted', promoted)
      ctx.publish('rejectedByCost', rejected)
      ctx.publish('readyFrames', waiting)
      ctx.publish('storeBytes', store.bytes)
      ctx.publish('storeBytesPerFrame', store.bytesPerFrame)
      ctx.publish('accessorFallbacks', fallbacks)
      promoted = 0
      rejected = 0
      fallbacks = 0
    },
  }
}
