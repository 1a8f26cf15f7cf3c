import type {
  CxlHotRecord,
  CxlMonitorSubscription,
  GpuCounterNotification,
  GpuCounterSubscription,
} from '../../vocabulary'
import type { Rng } from '../../rng'
import type { SimCore } from '../core'
import { CPU } from '../cpu-ledger'
import { frameAtWalk } from '../../workload'
import { UNALLOCATED } from '../frames'
import { NEGLIGIBLE_PROBABILITY } from './hint-faults'
import { poissonDraw, poissonTailBound } from './poisson'
import type { TelemetryEnv, TelemetrySink, TelemetrySource } from './source'

/**
 * Device-side hotness telemetry.
 * - CXL hotness monitor (CXL r3.2 CHMU, epoch mode [CHMU]): per CXL memory device, frames whose
 *   accesses in an epoch reach the threshold, from every initiator, up to maxRecords per epoch.
 * - GPU access counters: per GPU process, frames (or aligned granules of `granularityBytes` within
 *   a region, UVM's 2 MiB by default [UVM-AC]) off the GPU's own memory whose accesses by that GPU
 *   in an epoch reach the threshold. A granule counts only its frames off the GPU's memory.
 * Fast mode walks each region in hotness order and stops after STOP_RUN frames in a row whose
 * chance of reaching the threshold is below NEGLIGIBLE_PROBABILITY (for rank-ordered patterns the
 * rest is colder still), so the cost follows the hot set. Exact mode counts drawn accesses.
 * The devices count for free; the host pays for reading each record (the CXL driver's CHMU ring,
 * the GPU driver's access-counter buffer), charged to a kernel thread on the device's socket.
 */
/** Host CPU time to read and handle one hotness record or counter notification; an assumption. */
export const DEVICE_RECORD_CPU_S = 1e-7
const STOP_RUN = 64
/** Frames examined per device and epoch at most, so a flat pattern cannot make an epoch O(frames). */
const WALK_CAP = 65536
/** Frames summed per GPU process, region and epoch at most when counters count granules. */
const GRANULE_SUM_CAP = 4 * WALK_CAP

export class DeviceCounters {
  private readonly cxlNodes: number[]
  private readonly exactCounts = new Map<number, number>()
  private readonly exactGpu = new Map<number, number>()

  cxl: CxlMonitorSubscription | undefined = undefined
  gpu: GpuCounterSubscription | undefined = undefined

  constructor(
    private readonly core: SimCore,
    private readonly rng: Rng,
  ) {
    this.cxlNodes = core.m.nodes.filter((n) => n.kind === 'cxl-memory').map((n) => n.node)
  }

  /** Exact mode: one drawn access (any initiator) counted by a CXL device. */
  touchCxl(f: number): void {
    const c = this.core
    const node = c.frames.node[f]
    if (this.cxl && node !== UNALLOCATED && c.m.nodes[node].kind === 'cxl-memory')
      this.exactCounts.set(f, (this.exactCounts.get(f) ?? 0) + 1)
  }

  /** Frames per GPU counter granule (1: per frame). */
  private gpuGranuleFrames(): number {
    const bytes = this.gpu?.granularityBytes ?? 0
    return Math.max(1, Math.floor(bytes / this.core.pageBytes))
  }

  /** First frame of the granule of `f` (granules are aligned within f's region). */
  private granuleStart(f: number, frames: number): number {
    if (frames === 1) return f
    const regions = this.core.w.regions
    let lo = 0
    let hi = regions.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (regions[mid].frameStart <= f) lo = mid
      else hi = mid - 1
    }
    const start = regions[lo].frameStart
    return start + Math.floor((f - start) / frames) * frames
  }

  /** Frames of the granule starting at `g` (the last one of a region may be short). */
  private granuleLength(g: number, frames: number, r: { frameStart: number; frameCount: number }) {
    return Math.min(frames, r.frameStart + r.frameCount - g)
  }

  /** Exact mode: one drawn access by process p, counted by its GPU when remote. */
  touchGpu(f: number, p: number): void {
    const c = this.core
    const node = c.frames.node[f]
    if (this.gpu && c.procIsCpu[p] === 0 && node !== c.m.initiators[c.procInitiator[p]].node) {
      const key = this.granuleStart(f, this.gpuGranuleFrames()) * c.P + p
      this.exactGpu.set(key, (this.exactGpu.get(key) ?? 0) + 1)
    }
  }

  /** Host CPU for `records` records read on behalf of `node`. */
  charge(node: number, records: number, source: number): void {
    if (records > 0) this.core.cpu.toKernel(node, records * DEVICE_RECORD_CPU_S, source)
  }

  cxlRecords(exact: boolean): Map<number, CxlHotRecord[]> {
    const out = new Map<number, CxlHotRecord[]>()
    if (!this.cxl) return out
    const c = this.core
    for (const n of this.cxlNodes) out.set(n, [])
    const thr = this.cxl.threshold
    if (exact) {
      for (const [f, count] of this.exactCounts) {
        const list = out.get(c.frames.node[f])
        if (list && count >= thr && list.length < this.cxl.maxRecords)
          list.push({ frame: f, count })
      }
      this.exactCounts.clear()
      return out
    }
    const scale = c.allRateScale * c.epochS
    for (const n of this.cxlNodes) {
      const list = out.get(n) as CxlHotRecord[]
      let walked = 0
      for (const r of c.w.regions) {
        let run = 0
        for (let rank = 0; rank < r.frameCount && walked < WALK_CAP; rank++) {
          const f = frameAtWalk(c.w, r, rank)
          const mu = c.frames.weight[f] * scale
          if (poissonTailBound(mu, thr) < NEGLIGIBLE_PROBABILITY) {
            if (++run >= STOP_RUN) break
            continue
          }
          run = 0
          if (c.frames.node[f] !== n) continue
          walked++
          const count = poissonDraw(this.rng, mu)
          if (count >= thr) list.push({ frame: f, count })
          if (list.length >= this.cxl.maxRecords) break
        }
        if (list.length >= this.cxl.maxRecords) break
      }
    }
    return out
  }

  gpuNotifications(exact: boolean): GpuCounterNotification[] {
    const out: GpuCounterNotification[] = []
    if (!this.gpu) return out
    const c = this.core
    const thr = this.gpu.threshold
    const G = this.gpuGranuleFrames()
    if (exact) {
      for (const [key, count] of this.exactGpu) {
        const f = Math.floor(key / c.P)
        const p = key - f * c.P
        if (count < thr) continue
        if (G === 1) out.push({ process: p, frame: f, node: c.frames.node[f], count })
        else this.pushGranule(out, p, f, count, G)
      }
      this.exactGpu.clear()
      return out
    }
    if (G > 1) return this.granuleNotifications(out, thr, G)
    for (let p = 0; p < c.P; p++) {
      if (c.procIsCpu[p] === 1) continue
      const own = c.m.initiators[c.procInitiator[p]].node
      const perS = c.rate[p] * c.epochS
      const phase = c.w.processes[p].phases[c.procPhase[p]]
      for (let ri = 0; ri < c.R; ri++) {
        if (phase.accessesByRegion[ri].length === 0) continue
        const r = c.w.regions[ri]
        let run = 0
        let walked = 0
        for (let rank = 0; rank < r.frameCount && walked < WALK_CAP; rank++) {
          const f = frameAtWalk(c.w, r, rank)
          const node = c.frames.node[f]
          const mu = perS * c.prob(p, f, ri)
          if (poissonTailBound(mu, thr) < NEGLIGIBLE_PROBABILITY) {
            if (++run >= STOP_RUN) break
            continue
          }
          run = 0
          if (node === UNALLOCATED || node === own) continue
          walked++
          const count = poissonDraw(this.rng, mu)
          if (count >= thr) out.push({ process: p, frame: f, node, count })
        }
      }
    }
    return out
  }

  /** A granule's notification: its node is that of its first frame off the GPU's memory. */
  private pushGranule(
    out: GpuCounterNotification[],
    p: number,
    g: number,
    count: number,
    G: number,
  ) {
    const c = this.core
    const own = c.m.initiators[c.procInitiator[p]].node
    const regions = c.w.regions
    const r = regions.find((x) => g >= x.frameStart && g < x.frameStart + x.frameCount)!
    const frames = this.granuleLength(g, G, r)
    let node = c.frames.node[g]
    for (let f = g; f < g + frames; f++) {
      const n = c.frames.node[f]
      if (n !== UNALLOCATED && n !== own) {
        node = n
        break
      }
    }
    out.push({ process: p, frame: g, node, count, frames })
  }

  /**
   * Fast mode with granules: walk each region in hotness order while a granule made only of
   * frames this hot could still reach the threshold (frames further down are colder, so a granule
   * none of whose frames was walked is negligible too), collect the granules of remote frames in
   * the order their hottest frame comes, then draw each granule's count from the summed rate of
   * its remote frames.
   */
  private granuleNotifications(
    out: GpuCounterNotification[],
    thr: number,
    G: number,
  ): GpuCounterNotification[] {
    const c = this.core
    for (let p = 0; p < c.P; p++) {
      if (c.procIsCpu[p] === 1) continue
      const own = c.m.initiators[c.procInitiator[p]].node
      const perS = c.rate[p] * c.epochS
      const phase = c.w.processes[p].phases[c.procPhase[p]]
      for (let ri = 0; ri < c.R; ri++) {
        if (phase.accessesByRegion[ri].length === 0) continue
        const r = c.w.regions[ri]
        const seen = new Set<number>()
        let run = 0
        let walked = 0
        for (let rank = 0; rank < r.frameCount && walked < WALK_CAP; rank++) {
          const f = frameAtWalk(c.w, r, rank)
          const node = c.frames.node[f]
          if (poissonTailBound(perS * c.prob(p, f, ri) * G, thr) < NEGLIGIBLE_PROBABILITY) {
            if (++run >= STOP_RUN) break
            continue
          }
          run = 0
          if (node === UNALLOCATED || node === own) continue
          walked++
          seen.add(r.frameStart + Math.floor((f - r.frameStart) / G) * G)
        }
        let summed = 0
        for (const g of seen) {
          const frames = this.granuleLength(g, G, r)
          if (summed + frames > GRANULE_SUM_CAP) break
          summed += frames
          let mu = 0
          let node = -1
          for (let f = g; f < g + frames; f++) {
            const n = c.frames.node[f]
            if (n === UNALLOCATED || n === own) continue
            if (node < 0) node = n
            mu += perS * c.prob(p, f, ri)
          }
          if (node < 0) continue
          const count = poissonDraw(this.rng, mu)
          if (count >= thr) out.push({ process: p, frame: g, node, count, frames })
        }
      }
    }
    return out
  }
}

/** The CXL hotness monitor as a telemetry source (it shares the device counters' stream). */
export class CxlMonitorSource implements TelemetrySource<'cxlMonitor'> {
  readonly kind = 'cxlMonitor'
  constructor(
    private readonly env: TelemetryEnv,
    private readonly dev: DeviceCounters,
  ) {}
  get active(): boolean {
    return this.dev.cxl !== undefined
  }
  configure(sub: CxlMonitorSubscription | null): void {
    if (sub && !(sub.threshold >= 1 && sub.maxRecords >= 0))
      throw new Error('cxlMonitor: threshold must be at least 1 and maxRecords at least 0')
    this.dev.cxl = sub ?? undefined
  }
  bytesPerFrame(): number {
    return 0
  }
  touch(f: number): void {
    this.dev.touchCxl(f)
  }
  deliver(sink: TelemetrySink): void {
    if (!this.dev.cxl) return
    for (const [node, recs] of this.dev.cxlRecords(this.env.exact)) {
      this.dev.charge(node, recs.length, CPU.cxlMonitor)
      if (recs.length > 0) sink.onCxlHotRecords(node, recs)
    }
  }
}

/** GPU access counters as a telemetry source. */
export class GpuCounterSource implements TelemetrySource<'gpuCounters'> {
  readonly kind = 'gpuCounters'
  constructor(
    private readonly env: TelemetryEnv,
    private readonly dev: DeviceCounters,
  ) {}
  get active(): boolean {
    return this.dev.gpu !== undefined
  }
  configure(sub: GpuCounterSubscription | null): void {
    if (sub && !(sub.threshold >= 1)) throw new Error('gpuCounters: threshold must be at least 1')
    if (sub?.granularityBytes !== undefined && !(sub.granularityBytes > 0))
      throw new Error('gpuCounters: granularityBytes must be positive')
    this.dev.gpu = sub ?? undefined
  }
  bytesPerFrame(): number {
    return 0
  }
  touch(f: number, p: number): void {
    this.dev.touchGpu(f, p)
  }
  deliver(sink: TelemetrySink): void {
    if (!this.dev.gpu) return
    const notes = this.dev.gpuNotifications(this.env.exact)
    const c = this.env.core
    for (const n of notes) this.dev.charge(c.procHome[n.process], 1, CPU.gpuCounters)
    if (notes.length > 0) sink.onGpuCounter(notes)
  }
}
