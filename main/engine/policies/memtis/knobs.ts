import { z } from 'zod'
import { knob } from '../knob'

/**
 * Memtis's knobs at the defaults of its sysfs tunables [MEMTIS] (cosmoss-jigu/memtis,
 * linux/mm/mempolicy.c `htmm_*` and `ksampled_*`; watermarks in linux/mm/htmm_migrater.c).
 */
export const memtisKnobs = z
  .strictObject({
    // htmm_sample_period = 199
    samplePeriod: knob(z.int().min(1).max(1_000_000_000).default(199), {
      label: 'Sample period',
      unit: 'accesses',
      description:
        'One PEBS sample per this many CPU accesses at the start (htmm_sample_period); the CPU quota lengthens it.',
    }),
    // htmm_cooling_period = 2000000
    coolingPeriodSamples: knob(z.int().min(1).max(1e12).default(2_000_000), {
      label: 'Cooling period',
      unit: 'samples',
      description: 'Every counter is halved after this many samples (htmm_cooling_period).',
    }),
    // htmm_adaptation_period = 100000
    adaptationPeriodSamples: knob(z.int().min(1).max(1e12).default(100_000), {
      label: 'Threshold adaptation period',
      unit: 'samples',
      description:
        'The hot threshold is recomputed from the histogram after this many samples (htmm_adaptation_period).',
    }),
    // htmm_thres_cooling_alloc = 256 * 1024 * 10 pages of 4 KiB = 10 GiB
    coolingAllocMB: knob(z.number().positive().max(1e9).default(10_240), {
      label: 'Cooling on allocation',
      unit: 'MB',
      description:
        'Counters are also halved when the resident memory grew by this much since the last time (htmm_thres_cooling_alloc).',
    }),
    // htmm_promotion_period_in_ms = htmm_demotion_period_in_ms = 500
    migrationPeriodMs: knob(z.number().positive().max(3_600_000).default(500), {
      label: 'Migration period',
      unit: 'ms',
      description:
        'The kmigraterd threads demote cold and promote hot pages this often (htmm_promotion/demotion_period_in_ms).',
    }),
    // ksampled_soft_cpu_quota = 30 (permil of one CPU)
    cpuQuotaPct: knob(z.number().min(0).max(100).default(3), {
      label: 'Sampler CPU quota',
      unit: '% of a CPU',
      description:
        'The sampler lengthens its period when it uses more than this share of one CPU, and shortens it below (ksampled_soft_cpu_quota); 0 keeps the period fixed.',
    }),
    // cpucap_period = msecs_to_jiffies(15000) in ksamplingd
    quotaCheckMs: knob(z.number().positive().max(3_600_000).default(15_000), {
      label: 'Quota check period',
      unit: 'ms',
      description: 'How often the sampler measures its CPU use against the quota (cpucap_period).',
    }),
    // htmm_thres_hot = 1
    minHotBin: knob(z.int().min(0).max(15).default(1), {
      label: 'Lowest hot bin',
      unit: 'log2 bin',
      description: 'The hot threshold never goes below this histogram bin (htmm_thres_hot).',
    }),
    // htmm_nowarm = 0 (warm pages enabled)
    warmBand: knob(z.boolean().default(true), {
      label: 'Warm band',
      unit: '',
      description:
        'When hot pages fill less than 75 % of the fast tier, pages one bin below the threshold are not demoted (htmm_nowarm = 0).',
    }),
    // get_memcg_promotion_watermark: 3 % of the fast tier, clamped to 100 MB..1500 MB
    headroomPct: knob(z.number().min(0).max(50).default(3), {
      label: 'Fast-tier headroom',
      unit: '%',
      description:
        'Share of the fast tier kept free when promoting (get_memcg_promotion_watermark); demotion keeps 2/3 of it.',
    }),
    headroomMinMB: knob(z.number().min(0).max(1e9).default(100), {
      label: 'Least headroom',
      unit: 'MB',
      description: 'The headroom is at least this (MAX_WATERMARK_LOWER_LIMIT, 100 MB).',
    }),
    headroomMaxMB: knob(z.number().min(0).max(1e9).default(1500), {
      label: 'Most headroom',
      unit: 'MB',
      description: 'The headroom is at most this (MAX_WATERMARK_UPPER_LIMIT, 1500 MB).',
    }),
    // htmm_thres_split: Memtis's run scripts set 1 (split on); off by default here so runs from
    // before the engine could split keep their results.
    hugePageSplit: knob(z.boolean().default(false), {
      label: 'Split skewed huge pages',
      unit: '',
      description:
        'Split 2 MiB pages whose base pages are skewed, as many as the gap between the hits base pages would get and the hits the huge pages get asks for, then promote the hot base pages and demote the cold ones (htmm_thres_split). No effect with 4 KiB pages.',
    }),
  })
  .refine((k) => k.headroomMinMB <= k.headroomMaxMB, {
    path: ['headroomMaxMB'],
    error: 'must be at least headroomMinMB; raise headroomMaxMB or lower headroomMinMB',
  })

export type MemtisKnobs = z.output<typeof memtisKnobs>
