import { SAMPLE_CPU_S } from '../../sim/telemetry/samples'
import { definePolicy, type AccessSample, type PolicyContext } from '../api'
import { AccessHistogram } from './histogram'
import { memtisKnobs, type MemtisKnobs } from './knobs'
import { MigrationPass } from './migration-pass'
import { SamplePeriodGovernor } from './sample-quota'
import { HugePageSplitter } from './splitter'

/**
 * Memtis (Lee et al., SOSP'23) [MEMTIS]: PEBS samples feed a per-page access counter and a
 * log2 histogram of pages per counter bin (histogram.ts); every cooling period the counters are
 * halved; every adaptation period the hot threshold becomes the lowest bin whose pages, with all
 * hotter ones, fit the fast tier less its headroom (it rises at once, and falls by one bin after a
 * cooling). Two kmigraterd kernel threads wake every 500 ms: one demotes cold pages (below the
 * warm threshold) from a fast node that is short of room for the hot pages waiting below, one
 * promotes hot pages into the room there is (migration-pass.ts), through the engine's
 * asynchronous migration queues. The sampler keeps to its CPU quota by stepping its period along
 * Memtis's ladder (sample-quota.ts). With `hugePageSplit`, huge pages whose base pages are skewed
 * are split and their base pages placed one by one (splitter.ts, base-page-pass.ts).
 *
 * Simplifications: one counter per frame of the run's page size (a 4 KiB frame counts 512 per
 * sample, a 2 MiB one 1, as Memtis's base and huge pages do); the counters are cooled at once
 * rather than lazily page by page; new pages start at 0 rather than at Memtis's initial
 * hotness factor; the LRU scans of kmigraterd cost no CPU beyond the migrations themselves.
 * The sampler's CPU is what the engine charges for the samples (to the sampled process); the
 * quota compares it with one CPU, as ksampled compares its own runtime with wall time.
 */
export const memtis = definePolicy({
  id: 'memtis',
  name: 'Memtis',
  description:
    'PEBS-sampled access histogram with a hot threshold sized to the fast tier, periodic cooling, kernel threads promoting and demoting every 500 ms, a 3 % sampler CPU quota, and optionally splitting huge pages whose base pages are skewed (Memtis, SOSP 2023).',
  knobs: memtisKnobs,
  subscriptions: (k) => ({ samples: { period: k.samplePeriod } }),
  // Memtis demotes with its own kmigraterd threads, not through kswapd.
  reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
  series: {
    hotThresholdBin: {
      label: 'Hot threshold (histogram bin: log2 of accesses per 2 MiB)',
      unit: 'log2 bin',
      better: 'neutral',
    },
    hotSetBytes: {
      label: 'Hot set (pages at or above the threshold)',
      unit: 'B',
      better: 'neutral',
    },
    samplePeriod: { label: 'Sample period in force', unit: 'accesses', better: 'neutral' },
    splitHugePages: {
      label: 'Huge pages split so far',
      unit: 'pages',
      better: 'neutral',
    },
    samplerCpuShare: {
      label: 'Sampler CPU at the last quota check (share of one CPU)',
      unit: 'CPU s/s',
      better: 'lower',
    },
  },
  create: (k, ctx) => new MemtisState(k, ctx).instance(),
})

class MemtisState {
  private readonly hist: AccessHistogram
  private readonly governor: SamplePeriodGovernor
  private readonly pass: MigrationPass
  private readonly splitter: HugePageSplitter | null
  /** nr_sampled: samples since the start (cooling and adaptation count them). */
  private sampled = 0
  private samplerCpuS = 0
  private period: number
  private activeBin: number
  private warmBin: number
  /** A cooling happened since the last adaptation (the threshold may then fall one bin). */
  private cooled = false
  /** Resident bytes at the last cooling (htmm_thres_cooling_alloc counts growth from here). */
  private allocMarkBytes = 0
  private nextPassS: number

  constructor(
    private readonly k: MemtisKnobs,
    private readonly ctx: PolicyContext,
  ) {
    this.hist = new AccessHistogram(ctx.totalFrames, ctx.pageBytes)
    this.governor = new SamplePeriodGovernor(
      k.samplePeriod,
      k.cpuQuotaPct / 100,
      k.quotaCheckMs / 1000,
    )
    this.period = k.samplePeriod
    this.activeBin = k.minHotBin
    this.warmBin = k.minHotBin
    // Splitting needs huge pages and an engine that splits them.
    this.splitter =
      k.hugePageSplit && ctx.pageBytes >= 2 * 1024 * 1024 && ctx.splitFrame
        ? new HugePageSplitter(ctx, this.hist, k.minHotBin)
        : null
    this.pass = new MigrationPass(ctx, this.hist, k, this.splitter)
    this.nextPassS = k.migrationPeriodMs / 1000
  }

  instance() {
    return {
      onSamples: (batch: readonly AccessSample[]) => this.onSamples(batch),
      onEpoch: () => this.onEpoch(),
    }
  }

  private residentBytes(): number {
    let b = 0
    for (let n = 0; n < this.ctx.nodeCount; n++) b += this.ctx.nodeUsedBytes(n)
    return b
  }

  private onSamples(batch: readonly AccessSample[]): void {
    // The engine charges each sample SAMPLE_CPU_S; ksampled reads its own runtime the same way.
    this.samplerCpuS += batch.length * SAMPLE_CPU_S
    // need_memcg_cooling: resident memory grew by htmm_thres_cooling_alloc since the last mark.
    const resident = this.residentBytes()
    let allocCooling = resident >= this.allocMarkBytes + this.k.coolingAllocMB * 1024 * 1024
    if (allocCooling) this.allocMarkBytes = resident
    for (const s of batch) {
      if (!this.splitter || this.splitter.note(s.frame, s.basePage ?? 0, s.node))
        this.hist.add(s.frame)
      this.pass.noteSampler(s.frame, s.process)
      this.sampled++
      // update_pginfo: cooling (and the split decision) at every cooling period or allocation
      // growth, else threshold adaptation at every adaptation period.
      if (this.sampled % this.k.coolingPeriodSamples === 0 || allocCooling) {
        allocCooling = false
        this.hist.cool()
        this.splitter?.cool(this.activeBin)
        this.cooled = true
      } else if (this.sampled % this.k.adaptationPeriodSamples === 0) this.adapt()
    }
  }

  /** `__adjust_active_threshold`. */
  private adapt(): void {
    const { bin, needWarm } = this.hist.hotThreshold(
      this.pass.hotCapacityFrames(),
      this.k.minHotBin,
    )
    this.splitter?.adapt(
      this.cooled,
      this.pass.hotCapacityFrames(),
      this.k.minHotBin,
      this.k.coolingPeriodSamples,
    )
    if (this.cooled) {
      if (bin < this.activeBin && this.activeBin > Math.max(1, this.k.minHotBin)) this.activeBin--
      this.cooled = false
    } else if (bin > this.activeBin) this.activeBin = bin
    this.warmBin = this.k.warmBand && needWarm ? this.activeBin - 1 : this.activeBin
  }

  private onEpoch(): void {
    const ctx = this.ctx
    const period = this.governor.update(ctx.nowS, this.samplerCpuS)
    if (period !== this.period) {
      this.period = period
      ctx.subscribe({ samples: { period } })
    }
    if (ctx.nowS + 1e-9 >= this.nextPassS) {
      // The deferred split queue is worked off by the same wake-up, before the migrations.
      this.splitter?.splitQueued()
      if (this.pass.run(this.activeBin, this.warmBin)) this.warmBin = this.activeBin
      this.nextPassS += this.k.migrationPeriodMs / 1000
      if (this.nextPassS <= ctx.nowS) this.nextPassS = ctx.nowS + this.k.migrationPeriodMs / 1000
    }
    ctx.publish('hotThresholdBin', this.activeBin)
    ctx.publish('hotSetBytes', this.hist.framesAtOrAbove(this.activeBin) * ctx.pageBytes)
    ctx.publish('samplePeriod', this.period)
    ctx.publish('splitHugePages', this.splitter?.splitCount ?? 0)
    ctx.publish('samplerCpuShare', this.governor.share)
  }
}
