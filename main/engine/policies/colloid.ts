import { z } from 'zod'
import { definePolicy, type HintFault, type PolicyContext, type PolicyInstance } from './api'
import { ColloidBalance, type TierReading } from './colloid-balance'
import { knob } from './knob'
import { numaBalancingTiering } from './numa-balancing-tiering'

/**
 * Colloid on NUMA balancing's tiering mode (Vuppalapati & Agarwal, SOSP'24 [COLLOID]; the
 * `numa_balancing` colloid mode of host-architecture/colloid, tpp/linux-6.3 fair.c and memory.c):
 * placement balances the *loaded* access latency of the default tier (top-tier nodes) and the
 * alternate tier (the rest) instead of packing every hot page into the default tier.
 *
 * The monitor (colloid-balance.ts) reads per tier the queue occupancy and inserts the engine's
 * closed loop solves (NodeCounters.occupancy / accessesPerS), smooths them every epoch and, once
 * per migration quantum, decides whether the default tier is slower and which share of accesses
 * Δp to move. Everything else is
 * NUMA balancing's, reused as is: the scanner, the promotion gate (hot threshold, rate limit,
 * threshold adjustment, free-space fast path) and the scan-period adaptation. Colloid adds:
 *  - the scanner also marks default-tier pages (the fork enables top-tier hint faults);
 *  - while the default tier is slower, promotions stop, and a hot default-tier page (hint-fault
 *    latency under the threshold) that faults on its own node moves down to its demotion target,
 *    in the faulting task (numa_migrate_memory_away_target + migrate_misplaced_page);
 *  - the moves of each migration quantum (500 ms, MIGRATION_QUANTUM_MS of colloid-mon) stop once
 *    the pages moved add up to Δp of the accesses — the paper's step size. A page's share is
 *    estimated as 1 ÷ (mean hot-fault latency × accesses/s) (an assumption: the kernel variants
 *    bound the step by a page count derived from Δp instead).
 */

/**
 * Weight of one hot fault in the running mean of hot faults' latencies a page's access rate is
 * estimated from (1 ÷ mean latency: exact for a set of equally hot pages, where 1 ÷ each page's own
 * latency would over-state the rate by ln(1 ÷ (rate × resolution)) on average). An assumption.
 */
const LATENCY_MEAN_WEIGHT = 1 / 32

/**
 * Whether promotions spend the step too. Colloid's Δp bounds the moves in both directions
 * [COLLOID]; left to NUMA balancing's rate limit, one scan pass's burst of promotions (~4e5 pages/s
 * for 10 ms here) jumped from below the balance point to far above it (hit ratio 0.56 → 0.75,
 * default tier 419 ns vs 271 ns) and stayed there while the scanner backed off — the seed-4 loss.
 * The share estimates err high, which held a default tier with room half empty, so promotion is
 * bounded only once the search has seen the default tier slower (p_hi < 1, `contended`); before
 * that Colloid promotes as its base system does, the paper's fallback when the default tier is
 * not contended.
 */
const stepBoundsPromotion = (balance: ColloidBalance): boolean => balance.contended

const colloidKnobs = {
  ewmaWeight: knob(z.number().gt(0).max(1).default(0.0625), {
    label: 'EWMA weight',
    unit: '',
    description:
      'Weight of a new occupancy/inserts reading per sample period (2^-4: EWMA_EXP 4 in colloid-mon).',
  }),
  samplePeriodMs: knob(z.number().positive().max(10_000).default(10), {
    label: 'Sample period',
    unit: 'ms',
    description: 'Period the EWMA weight applies to (SAMPLE_INTERVAL_MS of colloid-mon).',
  }),
  deltaPercent: knob(z.number().min(0).max(100).default(5), {
    label: 'Balance tolerance δ',
    unit: '%',
    description:
      "Latencies within this share of the default tier's count as balanced: nothing moves (COLLOID_DELTA_PERCENT).",
  }),
  epsilonPercent: knob(z.number().gt(0).max(100).default(1), {
    label: 'Search resolution ε',
    unit: '%',
    description:
      'Narrowest p_lo..p_hi interval of the binary search before it reopens (COLLOID_EPSILON_PERCENT).',
  }),
  migrationQuantumMs: knob(z.number().positive().max(3_600_000).default(500), {
    label: 'Migration quantum',
    unit: 'ms',
    description:
      'Pages moved within one quantum add up to at most Δp of the accesses (MIGRATION_QUANTUM_MS).',
  }),
}

/** Colloid's own knobs, typed (NUMA balancing's definition keeps its knob types to itself). */
type ColloidKnobs = z.output<z.ZodObject<typeof colloidKnobs>>
const knobs = numaBalancingTiering.knobs.extend(colloidKnobs)

export const colloid = definePolicy({
  id: 'colloid',
  name: 'Colloid (on NUMA balancing)',
  description:
    "Balances the default tier's loaded latency against the alternate tier's (occupancy ÷ inserts, EWMA): promotes hot pages while the default tier is faster, moves hot pages down while it is slower, a binary-searched share Δp of the accesses per quantum.",
  knobs,
  subscriptions: (k) => {
    const base = numaBalancingTiering.subscriptions(k)
    // The colloid mode marks default-tier pages too (mprotect.c change_pte_range of the fork).
    return { ...base, hintFaults: { ...base.hintFaults!, mode: 'normal' } }
  },
  reclaim: (k) => numaBalancingTiering.reclaim(k),
  series: {
    ...numaBalancingTiering.series,
    latencyRatio: {
      label: "Default tier's loaded latency ÷ the alternate tier's (smoothed)",
      unit: '×',
      better: 'neutral',
    },
    defaultLatencyNs: {
      label: 'Default tier loaded latency (occupancy ÷ inserts)',
      unit: 'ns',
      better: 'lower',
    },
    alternateLatencyNs: {
      label: 'Alternate tier loaded latency (occupancy ÷ inserts)',
      unit: 'ns',
      better: 'lower',
    },
    deltaP: {
      label: 'Share of accesses to move (Δp)',
      unit: 'fraction',
      better: 'neutral',
    },
  },
  create: (k, ctx, truth) => createColloid(k, ctx, truth),
})

function createColloid(
  all: z.output<typeof knobs>,
  ctx: PolicyContext,
  truth: Parameters<typeof numaBalancingTiering.create>[2],
): PolicyInstance {
  const k = all as ColloidKnobs
  const balance = new ColloidBalance({
    ewmaWeight: k.ewmaWeight,
    samplePeriodMs: k.samplePeriodMs,
    deltaFraction: k.deltaPercent / 100,
    epsilon: k.epsilonPercent / 100,
  })
  const topTier: number[] = []
  const alternate: number[] = []
  for (let n = 0; n < ctx.nodeCount; n++) (ctx.isTopTier(n) ? topTier : alternate).push(n)
  const demoteTo = (node: number): number => ctx.analysis.demotionTargets[String(node)]?.[0] ?? -1

  // NUMA balancing runs inside with a view whose migrate and publish Colloid sees first: a
  // promotion spends the quantum's budget, and the hot threshold it settles on is the one the
  // demotion side uses (nbp_threshold of the default node, as numa_migrate_memory_away_target).
  let thresholdMs = Number(all.hotThresholdMs)
  let faultShare = 0
  let budget = 0
  const inner = numaBalancingTiering.create(
    all,
    Object.create(ctx, {
      migrate: {
        value: (...args: Parameters<PolicyContext['migrate']>) => {
          const out = ctx.migrate(...args)
          if (out === 'migrated' || out === 'queued') budget -= faultShare
          return out
        },
      },
      publish: {
        value: (name: string, value: number) => {
          if (name === 'hotThresholdMs') thresholdMs = value
          ctx.publish(name, value)
        },
      },
    }) as PolicyContext,
    truth,
  )

  const reading = (nodes: number[]): TierReading => {
    let occupancy = 0
    let insertsPerS = 0
    for (const n of nodes) {
      const c = ctx.nodeCounters(n)
      occupancy += c.occupancy ?? 0
      insertsPerS += c.accessesPerS ?? 0
    }
    return { occupancy, insertsPerS }
  }
  const quantumEpochs = Math.max(1, Math.round(k.migrationQuantumMs / 1000 / ctx.epochS))
  // Running mean of hot faults' latencies, s, per side (0: default tier, 1: alternate tier).
  const meanLatencyS = [0, 0]
  const shareOf = (fault: HintFault, side: 0 | 1): number => {
    const latencyS = Math.max(1e-9, (fault.faultTimeMs - fault.scanTimeMs) / 1000)
    const m = meanLatencyS[side]
    meanLatencyS[side] = m > 0 ? m + LATENCY_MEAN_WEIGHT * (latencyS - m) : latencyS
    const total = reading(topTier).insertsPerS + reading(alternate).insertsPerS
    return total > 0 ? 1 / (meanLatencyS[side] * total) : 0
  }

  const onHintFault = (fault: HintFault): void => {
    if (!ctx.isTopTier(fault.node)) {
      // Promotion waits while the default tier is the slower one (should_numa_migrate_memory).
      if (balance.defaultSlower || (stepBoundsPromotion(balance) && budget <= 0)) return
      faultShare = stepBoundsPromotion(balance) ? shareOf(fault, 1) : 0
      inner.onHintFault?.(fault, ctx)
      return
    }
    if (!balance.defaultSlower || fault.node !== fault.cpuNode) return
    if (fault.faultTimeMs - fault.scanTimeMs >= thresholdMs) return
    const share = shareOf(fault, 0)
    if (budget > 0) demote(fault.frame, fault.process, share)
    else held.push(fault.frame, fault.process, share, ctx.epoch)
  }
  const demote = (frame: number, process: number, share: number): void => {
    const node = ctx.frameNode(frame)
    const target = node >= 0 && ctx.isTopTier(node) ? demoteTo(node) : -1
    if (target >= 0 && ctx.migrate(frame, target, 'sync', process) === 'migrated') budget -= share
  }
  // Hot default-tier pages seen while the step was spent: a scan pass's faults come in one burst,
  // so they wait for the next quanta (as the Memtis variant's lists do) rather than be dropped.
  const held = new HeldPages()
  const drainHeld = (): void => {
    while (budget > 0 && balance.defaultSlower && held.size > 0) {
      const i = held.shift()
      // Still hot? One quantum on, the accessed bit (charged) says whether it is.
      if (ctx.epoch - held.epochAt(i) > quantumEpochs && !ctx.checkAccessed(held.frameAt(i)))
        continue
      demote(held.frameAt(i), held.processAt(i), held.shareAt(i))
    }
    if (!balance.defaultSlower) held.clear()
  }

  return {
    onEpoch: (c) => {
      inner.onEpoch?.(c)
      balance.observe(reading(topTier), reading(alternate), ctx.epochS)
      // Colloid decides once per migration quantum: measure, step the search, move Δp [COLLOID].
      if (ctx.epoch % quantumEpochs === 0) {
        balance.decide()
        budget = balance.deltaP
      }
      drainHeld()
      const lD = balance.defaultLatencyNs
      const lA = balance.alternateLatencyNs
      if (Number.isFinite(lD)) ctx.publish('defaultLatencyNs', lD)
      if (Number.isFinite(lA)) ctx.publish('alternateLatencyNs', lA)
      if (Number.isFinite(lD) && Number.isFinite(lA) && lA > 0) ctx.publish('latencyRatio', lD / lA)
      ctx.publish('deltaP', balance.deltaP)
    },
    ignoredHintFaultLatencyMs: (t, c) => inner.ignoredHintFaultLatencyMs?.(t, c) ?? Infinity,
    nextScanPeriodMs: (pass, c) => inner.nextScanPeriodMs?.(pass, c) ?? pass.periodMs,
    onHintFault,
  }
}

/** Pages held for a later quantum: a FIFO of (frame, faulting process, share, epoch) entries. */
class HeldPages {
  private frames = new Int32Array(1024)
  private procs = new Int32Array(1024)
  private shares = new Float64Array(1024)
  private epochs = new Int32Array(1024)
  private head = 0
  private tail = 0
  get size(): number {
    return this.tail - this.head
  }
  push(frame: number, process: number, share: number, epoch: number): void {
    if (this.tail === this.frames.length) this.grow()
    this.frames[this.tail] = frame
    this.procs[this.tail] = process
    this.shares[this.tail] = share
    this.epochs[this.tail++] = epoch
  }
  /** Takes the oldest entry; its fields stay readable by index until the next push. */
  shift(): number {
    return this.head++
  }
  frameAt(i: number): number {
    return this.frames[i]
  }
  processAt(i: number): number {
    return this.procs[i]
  }
  shareAt(i: number): number {
    return this.shares[i]
  }
  epochAt(i: number): number {
    return this.epochs[i]
  }
  clear(): void {
    this.head = this.tail = 0
  }
  private grow(): void {
    const live = this.tail - this.head
    const cap = live * 2 > this.frames.length ? this.frames.length * 2 : this.frames.length
    const move = <T extends Int32Array | Float64Array>(a: T, b: T): T => {
      b.set(a.subarray(this.head, this.tail))
      return b
    }
    this.frames = move(this.frames, new Int32Array(cap))
    this.procs = move(this.procs, new Int32Array(cap))
    this.shares = move(this.shares, new Float64Array(cap))
    this.epochs = move(this.epochs, new Int32Array(cap))
    this.head = 0
    this.tail = live
  }
}
