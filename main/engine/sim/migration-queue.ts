import { NR_MAX_BATCHED_MIGRATION } from '../kernel'
import type { SimCore } from './core'
import { NODE_SHIFT, UNALLOCATED } from './frames'
import { KERNEL, type Migrator } from './migration'
import type { PerfResult } from './perf'
import type { AccessedBitModel } from './telemetry/accessed-bits'

/** Knobs of asynchronous migration (EngineOptions.migration); defaults below. */
export interface MigrationQueueOptions {
  /** Folios per migrate_pages call, NR_MAX_BATCHED_MIGRATION [MIGOFF][MIG]. */
  batchFolios: number
  /** CPU a kernel thread may use, cores (one thread: at most 1). */
  kernelThreadCores: number
  /**
   * A queued frame waiting this long is checked before it moves: if its accessed bit is clear it
   * went cold and is dropped (kmigrated acts on recent hotness only [PGHOT]); an assumption, ms.
   */
  coldAfterMs: number
}

export const DEFAULT_MIGRATION_QUEUE: MigrationQueueOptions = {
  batchFolios: NR_MAX_BATCHED_MIGRATION,
  kernelThreadCores: 1,
  coldAfterMs: 1000,
}

/** One named kernel thread of one node (kmigrated on node 2, kdamond on node 1, …). */
class KernelThread {
  frames = new Int32Array(256)
  enqueuedS = new Float64Array(256)
  head = 0
  tail = 0
  constructor(
    readonly name: string,
    readonly node: number,
  ) {}
  get depth(): number {
    return this.tail - this.head
  }
  push(f: number, tS: number): void {
    if (this.tail === this.frames.length) {
      const live = this.tail - this.head
      const cap = live * 2 > this.frames.length ? this.frames.length * 2 : this.frames.length
      const frames = new Int32Array(cap)
      const times = new Float64Array(cap)
      frames.set(this.frames.subarray(this.head, this.tail))
      times.set(this.enqueuedS.subarray(this.head, this.tail))
      this.frames = frames
      this.enqueuedS = times
      this.head = 0
      this.tail = live
    }
    this.frames[this.tail] = f
    this.enqueuedS[this.tail++] = tS
  }
}

/**
 * Asynchronous migration: per target node and thread name a kernel thread with a FIFO queue. At
 * each epoch's end (after the policy acted) each thread drains its queue in batches of
 * `batchFolios` within its CPU budget (kernelThreadCores × epoch) and the copy bandwidth the
 * workload left on the source, the target and the links between (what it copies this epoch comes
 * off that), paying the batched per-frame cost. What does not fit waits for the next epoch. A
 * frame waits in one queue at a time; it is dropped when it moved or left meanwhile, when it waited coldAfterMs and its accessed
 * bit is clear (it went cold), or when the target has no room above its high watermark (the
 * target filled; its kswapd is woken as for a failed migration [MIG]).
 */
export class MigrationQueues {
  private readonly threads: KernelThread[] = []
  private readonly byKey = new Map<string, KernelThread>()
  /** Frames queued per target node. */
  readonly queuedTo: Int32Array
  /**
   * One bit per frame while it waits (a queued folio is off the LRU, so it is not queued twice);
   * allocated on the first asynchronous migration only.
   */
  private queuedBits: Uint32Array | null = null
  private readonly readLeft: Float64Array
  private readonly writeLeft: Float64Array
  private readonly linkLeft: Float64Array
  /** The initiator each node's kernel threads copy with (the node's nearest socket). */
  private readonly copier: Int32Array

  constructor(
    private readonly core: SimCore,
    private readonly migrator: Migrator,
    private readonly bits: AccessedBitModel,
    readonly options: MigrationQueueOptions,
  ) {
    this.queuedTo = new Int32Array(core.N)
    this.readLeft = new Float64Array(core.N)
    this.writeLeft = new Float64Array(core.N)
    this.linkLeft = new Float64Array(core.m.links.length)
    const m = core.m
    this.copier = Int32Array.from(
      m.nodes.map((n) => m.initiatorIndex.get(m.nodes[n.cpuNode].component) ?? 0),
    )
  }

  /** Per-frame bytes the queues keep (the queued bitmap, once any frame was queued). */
  bytesPerFrame(): number {
    return this.queuedBits ? this.queuedBits.byteLength / this.core.frames.count : 0
  }

  /** Queues the frame on the target's thread `name`; a frame already waiting stays where it is. */
  enqueue(f: number, target: number, name: string): void {
    const bits = (this.queuedBits ??= new Uint32Array((this.core.frames.count >>> 5) + 1))
    if (bits[f >>> 5] & (1 << (f & 31))) return
    bits[f >>> 5] |= 1 << (f & 31)
    const key = `${name}@${target}`
    let t = this.byKey.get(key)
    if (!t) {
      t = new KernelThread(name, target)
      this.byKey.set(key, t)
      this.threads.push(t)
    }
    t.push(f, this.core.nowS)
    this.queuedTo[target]++
    this.core.counters.queuedMigrations++
  }

  /** Frames waiting in every queue. */
  depth(): number {
    let d = 0
    for (const t of this.threads) d += t.depth
    return d
  }

  /** The epoch's drain, in thread creation order (deterministic). */
  drain(r: PerfResult): void {
    if (this.threads.length === 0) return
    this.bandwidthLeft(r)
    for (const t of this.threads) if (t.depth > 0) this.drainThread(t)
  }

  /** Copy bytes the workload (and this epoch's moves so far) left free, per node and link. */
  private bandwidthLeft(r: PerfResult): void {
    const c = this.core
    const e = c.epochS
    for (let n = 0; n < c.N; n++) {
      const nd = c.m.nodes[n]
      const wlRead = r.nodeReadBytesPerS[n] - c.prevMigReadBytes[n] / e
      const wlWrite = r.nodeWriteBytesPerS[n] - c.prevMigWriteBytes[n] / e
      this.readLeft[n] = Math.max(0, (nd.peakReadBytesPerS - wlRead) * e - c.migReadBytes[n])
      this.writeLeft[n] = Math.max(0, (nd.peakWriteBytesPerS - wlWrite) * e - c.migWriteBytes[n])
    }
    for (let l = 0; l < c.m.links.length; l++) {
      const bw = c.m.links[l].bandwidthBytesPerS
      const used = Math.max(c.migLinkBytes[l * 2], c.migLinkBytes[l * 2 + 1])
      this.linkLeft[l] = Math.max(0, bw * Math.max(0, 1 - r.linkUtilisation[l]) * e - used)
    }
  }

  /** Whether copying `bytes` from src to dst fits what is left (or, with `take`, takes it). */
  private fits(src: number, dst: number, bytes: number, take = false): boolean {
    if (!take && (this.readLeft[src] < bytes || this.writeLeft[dst] < bytes)) return false
    if (take) {
      this.readLeft[src] -= bytes
      this.writeLeft[dst] -= bytes
    }
    const c = this.core
    const base = this.copier[dst] * c.N
    for (let k = 0; k < 2; k++) {
      const p = c.m.paths[base + (k === 0 ? src : dst)]
      if (p === null) continue
      for (let h = 0; h < p.links.length; h++) {
        const l = p.links[h]
        if (take) this.linkLeft[l] -= bytes
        else if (this.linkLeft[l] < bytes) return false
      }
    }
    return true
  }

  private drainThread(t: KernelThread): void {
    const c = this.core
    const cnt = c.counters
    const o = this.options
    const cores = Math.max(1e-6, o.kernelThreadCores)
    let cpuLeftS = cores * c.epochS
    let usedS = 0
    const target = t.node
    const coldS = o.coldAfterMs / 1000
    const bytes = c.pageBytes
    while (t.depth > 0 && cpuLeftS > 0) {
      const batch = Math.min(o.batchFolios, t.depth)
      const perFrameS = this.migrator.costS(batch)
      let stop = false
      for (let k = 0; k < batch; k++) {
        const f = t.frames[t.head]
        const enqS = t.enqueuedS[t.head]
        const src = c.frames.state[f] >>> NODE_SHIFT
        if (src === UNALLOCATED || src === target) {
          this.pop(t)
          cnt.droppedMigrations++
          continue
        }
        if (cpuLeftS < perFrameS || !this.fits(src, target, bytes)) {
          stop = true
          break
        }
        this.pop(t)
        if (c.nowS - enqS >= coldS && !this.bits.check(f, target)) {
          cnt.droppedMigrations++
          continue
        }
        if (!this.migrator.hasRoom(target)) {
          this.migrator.noMemory(target)
          cnt.droppedMigrations++
          continue
        }
        const moved = this.migrator.moveFrame(f, target, KERNEL, perFrameS)
        this.fits(src, target, bytes, true)
        cpuLeftS -= perFrameS
        usedS += perFrameS
        // A transactional promotion the page's write aborted: copied for nothing, dropped.
        if (!moved) {
          cnt.droppedMigrations++
          continue
        }
        // Done when the thread's work so far is: the epoch's start plus its CPU time at its pace.
        cnt.queueDelaySumS += c.nowS + usedS / cores - enqS
        cnt.queueDrained++
      }
      if (stop) break
    }
  }

  private pop(t: KernelThread): void {
    const f = t.frames[t.head]
    this.queuedBits![f >>> 5] &= ~(1 << (f & 31))
    this.queuedTo[t.node]--
    t.head++
    if (t.head === t.tail) t.head = t.tail = 0
  }
}
