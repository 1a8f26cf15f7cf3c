import { z } from 'zod'
import {
  definePolicy,
  type MigrateOptions,
  type PolicyContext,
  type PolicyInstance,
  type ShadowCopyStats,
} from './api'
import { knob } from './knob'
import { numaBalancingTiering } from './numa-balancing-tiering'

/**
 * NOMAD (Xiang et al., OSDI'24 [NOMAD]; code lingfenghsiang/Nomad): non-exclusive tiering on the
 * kernel's tiering path. Promotion candidates are NUMA balancing's (scanner, hot threshold, rate
 * limit, threshold adjustment: numa-balancing-tiering, reused as is), but the promotion is a
 * transactional page migration (TPM) by a kernel thread: the copy runs while the page stays
 * mapped, and the move aborts when the page is written meanwhile. A promoted page keeps its old
 * copy on the slow tier as a shadow; while it stays clean, kswapd's demotion of it is a remap
 * without a copy, and its first write frees the shadow. Shadow memory counts on the slow node and
 * is reclaimed first when that node runs low (sim/shadow-copies.ts, the engine's part).
 */

const nomadKnobs = {
  shadowCopies: knob(z.boolean().default(true), {
    label: 'Shadow copies',
    unit: '',
    description:
      'Keep the old copy of a promoted page on the slow tier until it is written (non-exclusive tiering); off: exclusive tiering with transactional promotion only.',
  }),
}

type NomadKnobs = z.output<z.ZodObject<typeof nomadKnobs>>
// Promotion is always the asynchronous transactional one: NUMA balancing's choice is not a knob.
const knobs = numaBalancingTiering.knobs.omit({ promotion: true }).extend(nomadKnobs)

/** The kernel thread that runs TPM's copies, one per target node. */
const TPM_THREAD = 'nomad-tpm'

export const nomad = definePolicy({
  id: 'nomad',
  name: 'NOMAD (non-exclusive tiering)',
  description:
    'NUMA-balancing hot pages are promoted by transactional migration (aborted if written during the copy) and keep a shadow copy on the slow tier, so a clean page demotes by a remap without copying; writes invalidate the shadow.',
  knobs,
  subscriptions: (k) => numaBalancingTiering.subscriptions({ ...k, promotion: 'async' }),
  reclaim: (k) => numaBalancingTiering.reclaim({ ...k, promotion: 'async' }),
  series: {
    ...numaBalancingTiering.series,
    shadowMB: {
      label: 'Memory held by shadow copies (slow tier)',
      unit: 'MB',
      better: 'neutral',
    },
    writeInvalidationsPerS: {
      label: 'Shadow copies invalidated by writes',
      unit: 'pages/s',
      better: 'lower',
    },
    freeDemotionsPerS: {
      label: 'Demotions remapped to a clean shadow (no copy)',
      unit: 'pages/s',
      better: 'higher',
    },
    demotionCopyMBps: {
      label: 'Bytes copied by demotions',
      unit: 'MB/s',
      better: 'lower',
    },
    abortedPromotionsPerS: {
      label: 'Transactional promotions aborted by a write',
      unit: 'pages/s',
      better: 'lower',
    },
    reclaimedShadowsPerS: {
      label: 'Shadow copies freed for memory',
      unit: 'pages/s',
      better: 'neutral',
    },
  },
  create: (k, ctx, truth) => createNomad(k, ctx, truth),
})

function createNomad(
  all: z.output<typeof knobs>,
  ctx: PolicyContext,
  truth: Parameters<typeof numaBalancingTiering.create>[2],
): PolicyInstance {
  const k = all as NomadKnobs
  if (!ctx.shadowStats)
    throw new Error('nomad needs shadow copies, which this engine does not provide')
  const shadowStats = ctx.shadowStats.bind(ctx)
  const tpm: MigrateOptions = { kernelThread: TPM_THREAD, keepShadow: k.shadowCopies }
  // NUMA balancing decides; its promotion becomes NOMAD's TPM (async, keeping the shadow).
  const inner = numaBalancingTiering.create(
    { ...all, promotion: 'async' },
    Object.create(ctx, {
      migrate: {
        value: (frame: number, target: number) => ctx.migrate(frame, target, 'async', tpm),
      },
    }) as PolicyContext,
    truth,
  )
  let last: ShadowCopyStats = shadowStats()
  return {
    ...inner,
    onEpoch: (c) => {
      inner.onEpoch?.(c)
      const now = shadowStats()
      const perS = (key: keyof ShadowCopyStats) => (now[key] - last[key]) / ctx.epochS
      ctx.publish('shadowMB', now.shadowBytes / 1e6)
      ctx.publish('writeInvalidationsPerS', perS('writeInvalidations'))
      ctx.publish('freeDemotionsPerS', perS('freeDemotions'))
      ctx.publish('demotionCopyMBps', perS('demotionCopyBytes') / 1e6)
      ctx.publish('abortedPromotionsPerS', perS('abortedPromotions'))
      ctx.publish('reclaimedShadowsPerS', perS('reclaimedShadows'))
      last = now
    },
  }
}
