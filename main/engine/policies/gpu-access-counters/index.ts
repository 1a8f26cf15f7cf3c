import { definePolicy, type GpuCounterNotification, type PolicyContext } from '../api'
import { numaBalancingTiering } from '../numa-balancing-tiering'
import { checkGpuMachine, gpuMigrates } from './check'
import { GRANULARITY_BYTES, gpuAccessCounterKnobs, type GpuAccessCounterKnobs } from './knobs'
import { ResidentGranules, type ResidentGranule } from './resident'

/**
 * Host CPU to fetch and service one batch of notifications from the access-counter buffer (the
 * driver's bottom half wakes, reads the batch, sorts it by VA block); an assumption, s. Each
 * notification's own read is charged by the telemetry (sim/telemetry/device-counters.ts).
 */
export const BATCH_SERVICE_CPU_S = 5e-6

/** The CPU-side NUMA balancing composed in with `cpuPolicy` (its defaults, [FAIR]). */
const cpuKnobs = numaBalancingTiering.knobs.parse({})

/**
 * GPU driver-managed placement as NVIDIA's UVM does it [UVM-AC]: each GPU counts its accesses to
 * memory that is not its own per granule (2 MiB by default); when a granule's count reaches the
 * threshold (256) the GPU writes a notification into a buffer the driver services in batches
 * (256), migrating the whole granule into the GPU's memory. UVM turns these migrations on by
 * default only where ATS exists, e.g. Grace Hopper's coherent NVLink-C2C [UVM-AC][GH]. When GPU
 * memory is full the driver evicts the granules it migrated in longest ago back to host memory,
 * and a granule evicted too often is declared thrashing and left in host memory [UVM-TH].
 * GPU processes raise no NUMA hint fault and are never moved by the scheduler: the kernel sees
 * only CPU page-table faults and CPU tasks, so none of this is visible to NUMA balancing.
 * With `cpuPolicy: 'numa-balancing-tiering'` the CPU's own pages are tiered by Linux as well.
 */
export const gpuAccessCounters = definePolicy({
  id: 'gpu-access-counters',
  name: 'GPU access counters (UVM-like)',
  description:
    "Each GPU counts remote accesses per 2 MiB granule; at 256 the driver migrates the granule into the GPU's memory (only with ATS by default, as NVIDIA UVM), evicting the oldest migrated granules back to host memory when it fills.",
  knobs: gpuAccessCounterKnobs,
  check: (k, input) => checkGpuMachine(k, input),
  subscriptions: (k) => ({
    gpuCounters: { threshold: k.threshold, granularityBytes: GRANULARITY_BYTES[k.granularity] },
    ...(k.cpuPolicy === 'numa-balancing-tiering'
      ? numaBalancingTiering.subscriptions(cpuKnobs)
      : {}),
  }),
  // Without a CPU-side policy nothing demotes: the driver's eviction is its own reclaim.
  reclaim: (k) =>
    k.cpuPolicy === 'numa-balancing-tiering'
      ? numaBalancingTiering.reclaim(cpuKnobs)
      : { demotionEnabled: false, balanceTo: 'high' },
  series: {
    notificationsPerS: {
      label: 'Access-counter notifications',
      unit: '/s',
      better: 'neutral',
    },
    batchesPerS: { label: 'Notification batches serviced', unit: '/s', better: 'neutral' },
    gpuMigratedBytes: {
      label: 'GPU memory held by counter-migrated pages',
      unit: 'bytes',
      better: 'neutral',
    },
    evictedBytesPerS: {
      label: 'Evicted from GPU memory to host',
      unit: 'bytes/s',
      better: 'lower',
    },
    cpuHotThresholdMs: {
      label: "CPU side's hot threshold (cpuPolicy numa-balancing-tiering; 0 without)",
      unit: 'ms',
      better: 'neutral',
    },
  },
  create: (k, ctx) => {
    const driver = new UvmDriver(k, ctx)
    // The CPU side publishes its threshold under this policy's name for it.
    const cpuCtx = Object.create(ctx) as PolicyContext
    cpuCtx.publish = (name, value) =>
      ctx.publish(name === 'hotThresholdMs' ? 'cpuHotThresholdMs' : name, value)
    const cpu =
      k.cpuPolicy === 'numa-balancing-tiering'
        ? numaBalancingTiering.create(cpuKnobs, cpuCtx, null)
        : null
    return {
      onGpuCounter: (notes) => driver.service(notes),
      onEpoch: () => {
        driver.publish()
        cpu?.onEpoch?.(cpuCtx)
      },
      ...(cpu && {
        onHintFault: (fault) => cpu.onHintFault?.(fault, cpuCtx),
        ignoredHintFaultLatencyMs: (t) => cpu.ignoredHintFaultLatencyMs?.(t, cpuCtx) ?? Infinity,
        nextScanPeriodMs: (pass) => cpu.nextScanPeriodMs?.(pass, cpuCtx) ?? pass.periodMs,
      }),
    }
  },
})

/**
 * The driver's side. Each GPU's notifications wait in its buffer; the driver fetches one batch of
 * `batchCount` per epoch and services it before the next (granules it moved in are skipped, as
 * UVM groups a batch by VA block). Notifications it does not fetch are reported again by the
 * counters while the granule stays hot. A batch's migrations complete as it is serviced (the GPU's
 * copy engines move the data [UVM-AC]): they are made at once, charged to a kernel thread on the
 * GPU's nearest socket (the engine's CPU copy cost, an overestimate for DMA), and their traffic
 * loads the link and both memories in the next epoch like any migration. Migrations into GPU
 * memory and evictions from it are counted as promotions or demotions by the kernel's tiers
 * (coherent HBM is a NUMA node) or as plain migrations (device-private memory).
 */
class UvmDriver {
  private readonly resident = new ResidentGranules()
  /** Per process: the GPU memory node its counters migrate into, or -1 (none, or not allowed). */
  private readonly targetOf: number[]
  private notifications = 0
  private batches = 0
  private evictedBytes = 0

  constructor(
    private readonly k: GpuAccessCounterKnobs,
    private readonly ctx: PolicyContext,
  ) {
    // A coherent GPU's memory is one of the kernel's NUMA nodes; a non-coherent one's is the
    // device-private node the engine adds after them (sim/device-private.ts).
    const kernelNodes = new Set(ctx.analysis.nodes.map((n) => n.node))
    this.targetOf = ctx.processes.map((p) =>
      p.kind === 'gpu' &&
      p.ownMemoryNode >= 0 &&
      gpuMigrates(kernelNodes.has(p.ownMemoryNode), k.migration)
        ? p.ownMemoryNode
        : -1,
    )
  }

  service(notes: readonly GpuCounterNotification[]): void {
    const ctx = this.ctx
    this.notifications += notes.length
    // One batch per GPU and epoch.
    const taken = new Map<number, number>()
    for (const n of notes) {
      const gpu = this.targetOf[n.process]
      if (gpu < 0) continue
      let t = taken.get(gpu)
      if (t === undefined) {
        t = 0
        this.batches++
        ctx.chargeCpu(BATCH_SERVICE_CPU_S, { kernelNode: ctx.nearestCpuNode(gpu) })
      }
      if (t >= this.k.batchCount) {
        taken.set(gpu, t)
        continue
      }
      taken.set(gpu, t + 1)
      this.serviceOne(n, gpu)
    }
  }

  private serviceOne(n: GpuCounterNotification, gpu: number): void {
    const ctx = this.ctx
    const start = n.frame
    const frames = n.frames ?? 1
    const k = this.k
    if (k.thrashingThreshold > 0 && this.resident.evictionsOf(start) >= k.thrashingThreshold) return
    let remote = 0
    for (let f = start; f < start + frames; f++) {
      const node = ctx.frameNode(f)
      if (node >= 0 && node !== gpu) remote++
    }
    if (remote === 0) return
    const pb = ctx.pageBytes
    if (this.roomBytes(gpu) < remote * pb && !this.makeRoom(gpu, start, remote * pb)) return
    let moved = 0
    for (let f = start; f < start + frames; f++) {
      const node = ctx.frameNode(f)
      if (node < 0 || node === gpu) continue
      if (ctx.migrate(f, gpu, 'sync') !== 'migrated') break
      moved++
    }
    if (moved > 0) this.resident.add({ start, frames, gpuNode: gpu, sourceNode: n.node })
  }

  /** Free bytes of the GPU memory above its high watermark (what a migration may take [MIG]). */
  private roomBytes(gpu: number): number {
    const ctx = this.ctx
    return ctx.nodeFreeBytes(gpu) - ctx.watermarks(gpu).highBytes
  }

  /**
   * Evicts the oldest migrated granules holding GPU memory until `bytes` fit; false when they
   * cannot (nothing left to evict, host memory full, or eviction off).
   */
  private makeRoom(gpu: number, except: number, bytes: number): boolean {
    if (!this.k.eviction) return false
    for (const g of this.resident.values()) {
      if (this.roomBytes(gpu) >= bytes) return true
      if (g.gpuNode !== gpu || g.start === except) continue
      const out = this.evict(g)
      if (out === 'host-full') return false
      // Its frames left GPU memory by other means (the CPU side's reclaim).
      if (out === 'empty') this.resident.forget(g.start)
    }
    return this.roomBytes(gpu) >= bytes
  }

  /**
   * Moves a granule's frames back to host memory now (the migration that needs the room waits
   * for it): to the memory it came from, else the GPU's nearest CPU node.
   */
  private evict(g: ResidentGranule): 'evicted' | 'empty' | 'host-full' {
    const ctx = this.ctx
    const host = ctx.nearestCpuNode(g.gpuNode)
    let moved = 0
    let held = 0
    for (let f = g.start; f < g.start + g.frames; f++) {
      if (ctx.frameNode(f) !== g.gpuNode) continue
      held++
      let out = ctx.migrate(f, g.sourceNode, 'sync')
      if (out !== 'migrated' && host !== g.sourceNode) out = ctx.migrate(f, host, 'sync')
      if (out !== 'migrated') break
      moved++
    }
    this.evictedBytes += moved * ctx.pageBytes
    if (held === 0) return 'empty'
    if (moved < held) return 'host-full'
    this.resident.evicted(g.start)
    return 'evicted'
  }

  publish(): void {
    const ctx = this.ctx
    let held = 0
    for (const g of this.resident.values())
      for (let f = g.start; f < g.start + g.frames; f++) if (ctx.frameNode(f) === g.gpuNode) held++
    ctx.publish('notificationsPerS', this.notifications / ctx.epochS)
    ctx.publish('batchesPerS', this.batches / ctx.epochS)
    ctx.publish('gpuMigratedBytes', held * ctx.pageBytes)
    ctx.publish('evictedBytesPerS', this.evictedBytes / ctx.epochS)
    this.notifications = 0
    this.batches = 0
    this.evictedBytes = 0
  }
}
