import type { PolicyContext } from '../api'
import { definePolicy } from '../api'
import { damonKnobs, type DamonKnobs } from './knobs'
import { goalScore, hotScore, MAX_SCORE, minScoreFor, SchemeQuota, type GoalMetric } from './quota'
import { DamonRegions, type DamonRegion } from './regions'

/**
 * DAMON-based tiering as upstream ships it (samples/damon/mtier, DAMOS quota goals and goal
 * tuners) [MTIER][DAMON-D][DAMON-C][DAMON-TUNER]: kdamond monitors the workload's address space
 * with adaptive regions (regions.ts) and, per pair of a top-tier node and its demotion target,
 * runs two schemes: `migrate_hot` moves pages of regions seen accessed (nr_accesses ≥ 1) from the
 * slow node to the fast one, with a quota goal on the fast node's used memory (9970 bp), and
 * `migrate_cold` moves pages of regions never seen accessed (nr_accesses = 0) down, with a goal on
 * the fast node's free memory (50 bp). Each scheme has a size quota per reset interval; the goal
 * tuner sets the effective quota (quota.ts). Regions are ranked by DAMON's hotness score (weights:
 * size 0, nr_accesses 100, age 100) so the hottest (coldest) go first within the quota, and a
 * young-page filter checks each page's accessed bit before it moves.
 *
 * Simulator approximations (docs/engine-approximations.md): samples happen at epoch boundaries,
 * so a sampling interval shorter than the epoch is rounded up to it (nr_accesses then counts up
 * to aggregation ÷ epoch); the schemes act on the pages of a region that sit on their source
 * node (what paddr regions of that node would hold), and charge the quota for those bytes;
 * migrations go through kdamond's asynchronous queue per target node.
 */

/** kdamond's own work per region and sample (loop, bookkeeping); an assumption, unconfirmed. */
const REGION_OP_S = 5e-8
/** DAMON's prioritisation weights in mtier: size 0, nr_accesses 100, age 100 [MTIER]. */
const WEIGHTS = { nrAccesses: 100, age: 100 }

interface Scheme {
  action: 'migrate_hot' | 'migrate_cold'
  src: number
  dst: number
  /** The fast node the goal measures. */
  goalNode: number
  metric: GoalMetric
  targetBp: number
  quota: SchemeQuota
  /** Region index to resume from when the last application ran out of quota. */
  cursor: number
}

function goalCurrentBp(ctx: PolicyContext, metric: GoalMetric, node: number): number {
  const cap = ctx.nodeCapacityBytes(node)
  if (cap <= 0) return 0
  const free = ctx.nodeFreeBytes(node)
  return Math.floor(((metric === 'node_mem_free_bp' ? free : cap - free) * 10000) / cap)
}

function buildSchemes(k: DamonKnobs, ctx: PolicyContext, resetS: number): Scheme[] {
  const schemes: Scheme[] = []
  const sizeBytes = Math.floor(k.quotaMBps * 1e6 * resetS)
  const make = (
    action: Scheme['action'],
    src: number,
    dst: number,
    goalNode: number,
    metric: GoalMetric,
    targetBp: number,
  ): Scheme => ({
    action,
    src,
    dst,
    goalNode,
    metric,
    targetBp,
    quota: new SchemeQuota(sizeBytes, k.goalTuner, metric !== 'none'),
    cursor: 0,
  })
  for (let fast = 0; fast < ctx.nodeCount; fast++) {
    if (!ctx.isTopTier(fast) || ctx.nodeCapacityBytes(fast) <= 0) continue
    for (const slow of ctx.analysis.demotionTargets[String(fast)] ?? []) {
      schemes.push(make('migrate_hot', slow, fast, fast, k.promoteGoalMetric, k.promoteGoalBp))
      schemes.push(make('migrate_cold', fast, slow, fast, k.demoteGoalMetric, k.demoteGoalBp))
    }
  }
  return schemes
}

export const damonTiering = definePolicy({
  id: 'damon-tiering',
  name: 'DAMON-based tiering',
  description:
    'Upstream DAMON tiering (samples/damon/mtier): adaptive-region access monitoring by kdamond, migrate_hot / migrate_cold schemes per node pair with size quotas, and quota goals on the fast node (used 99.7 %, free 0.5 %) tuned by the consist or temporal tuner.',
  knobs: damonKnobs,
  subscriptions: () => ({}),
  reclaim: (k) => ({ demotionEnabled: k.demotionEnabled, balanceTo: 'high' }),
  series: {
    regions: { label: 'DAMON regions', unit: 'regions', better: 'neutral' },
    meanNrAccesses: {
      label: 'Mean nr_accesses per aggregation (size-weighted)',
      unit: 'samples',
      better: 'neutral',
    },
    maxNrAccesses: {
      label: 'Highest possible nr_accesses per aggregation',
      unit: 'samples',
      better: 'neutral',
    },
    promoteQuotaMBps: {
      label: 'Effective migrate_hot quota (all schemes)',
      unit: 'MB/s',
      better: 'neutral',
    },
    demoteQuotaMBps: {
      label: 'Effective migrate_cold quota (all schemes)',
      unit: 'MB/s',
      better: 'neutral',
    },
  },
  create: (k, ctx) => {
    const epochMs = ctx.epochS * 1000
    const sampleEvery = Math.max(1, Math.round(k.sampleMs / epochMs))
    const aggrEvery = Math.max(sampleEvery, Math.round(k.aggregationMs / epochMs))
    const maxNr = Math.max(1, Math.floor(aggrEvery / sampleEvery))
    const applyEvery = Math.max(1, Math.round(k.applyIntervalMs / epochMs))
    const resetEvery = Math.max(1, Math.round(k.quotaResetIntervalMs / epochMs))
    const resetS = resetEvery * ctx.epochS
    const aggregationS = aggrEvery * ctx.epochS
    const coldMinAge = Math.ceil(k.coldMinAgeMs / 1000 / aggregationS)
    const monitor = new DamonRegions(ctx.regions, k.minRegions, k.maxRegions, ctx.rng.fork('damon'))
    const schemes = buildSchemes(k, ctx, resetS)
    // kdamond runs on the socket of the first top-tier node (it serves every node pair).
    let kdamondNode = 0
    while (kdamondNode < ctx.nodeCount - 1 && !ctx.isTopTier(kdamondNode)) kdamondNode++
    const check = (f: number): boolean => ctx.checkAccessed(f)
    const hist = new Float64Array(MAX_SCORE + 1)
    let lastApplyEpoch = -Infinity

    const valid = (s: Scheme, r: DamonRegion): boolean =>
      s.action === 'migrate_hot'
        ? r.nrAccesses >= k.hotMinNrAccesses
        : r.nrAccesses <= k.coldMaxNrAccesses && r.age >= coldMinAge

    const score = (s: Scheme, r: DamonRegion): number => {
      const hot = hotScore(r.nrAccesses, maxNr, r.age, aggregationS, WEIGHTS)
      return s.action === 'migrate_hot' ? hot : MAX_SCORE - hot
    }

    /** Frames of each region on each node (what a paddr region of that node would hold). */
    const countByNode = (): Int32Array => {
      const regions = monitor.regions
      const N = ctx.nodeCount
      const counts = new Int32Array(regions.length * N)
      regions.forEach((r, i) => {
        for (let f = r.start; f < r.end; f++) {
          const n = ctx.frameNode(f)
          if (n >= 0) counts[i * N + n]++
        }
      })
      return counts
    }

    const applyScheme = (s: Scheme, counts: Int32Array): void => {
      if (s.quota.left() <= 0) return
      const regions = monitor.regions
      const N = ctx.nodeCount
      const page = ctx.pageBytes
      hist.fill(0)
      let maxScore = 0
      regions.forEach((r, i) => {
        if (!valid(s, r) || counts[i * N + s.src] === 0) return
        const sc = score(s, r)
        hist[sc] += counts[i * N + s.src] * page
        if (sc > maxScore) maxScore = sc
      })
      const minScore = minScoreFor(hist, maxScore, s.quota.esz)
      const hot = s.action === 'migrate_hot'
      const start = s.cursor < regions.length ? s.cursor : 0
      for (let j = 0; j < regions.length; j++) {
        const i = (start + j) % regions.length
        const r = regions[i]
        if (counts[i * N + s.src] === 0 || !valid(s, r) || score(s, r) < minScore) continue
        for (let f = r.start; f < r.end; f++) {
          if (ctx.frameNode(f) !== s.src) continue
          if (s.quota.left() < page) {
            // Quota used up: the next application resumes here (damos_skip_charged_region).
            s.cursor = i
            return
          }
          s.quota.charged += page
          if (k.youngFilter && check(f) !== hot) continue
          ctx.migrate(f, s.dst, 'async', { kernelThread: 'kdamond' })
        }
      }
      s.cursor = 0
    }

    const publishQuotas = (): void => {
      let promote = 0
      let demote = 0
      for (const s of schemes) {
        const mbps = s.quota.esz / resetS / 1e6
        if (s.action === 'migrate_hot') promote += mbps
        else demote += mbps
      }
      ctx.publish('promoteQuotaMBps', promote)
      ctx.publish('demoteQuotaMBps', demote)
    }

    return {
      onEpoch: () => {
        const e = ctx.epoch
        if (e % resetEvery === 0)
          for (const s of schemes)
            s.quota.startInterval(
              s.metric === 'none'
                ? 0
                : goalScore(goalCurrentBp(ctx, s.metric, s.goalNode), s.targetBp),
            )
        let ops = 0
        if (e % sampleEvery === 0) {
          monitor.sample(check)
          ops += monitor.regions.length
        }
        if ((e + 1) % aggrEvery === 0) {
          ops += monitor.regions.length
          monitor.merge(maxNr)
          if (e - lastApplyEpoch >= applyEvery && schemes.length > 0) {
            lastApplyEpoch = e
            const counts = countByNode()
            for (const s of schemes) applyScheme(s, counts)
          }
          monitor.resetAggregated()
          monitor.split()
        }
        ctx.chargeCpu(ops * REGION_OP_S, { kernelNode: kdamondNode })
        ctx.publish('regions', monitor.regions.length)
        ctx.publish('meanNrAccesses', monitor.meanLastNrAccesses())
        ctx.publish('maxNrAccesses', maxNr)
        publishQuotas()
      },
    }
  },
})
