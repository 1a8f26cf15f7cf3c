import type { Rng } from '../../rng'
import type { SimCore } from '../core'

/**
 * Who took a hint fault, and what the folio's cpupid said about the fault before it
 * (task_numa_fault, should_numa_migrate_memory [FAIR]). The faulting process is drawn in
 * proportion to the CPU processes' rates on the frame; its faulting thread is spread over its
 * threads by a hash of the frame and its fault sequence (no random draw, so runs whose threads all
 * sit on one socket draw exactly as before). In normal mode each frame keeps the last faulting
 * socket node and process (2 bytes a frame, allocated only then); in tiering mode a slow-tier
 * folio's cpupid holds its scan time instead, so last-CPU reads -1 and the fault is private.
 */
export class FaultOrigin {
  /** (process + 1) | (socket node + 1) << 8 of each frame's last fault; 0: none. */
  private lastCpupid: Uint16Array | null = null
  lastCpuNode = -1
  lastProcess = -1
  isPrivate = true
  thread = 0
  cpuNode = 0

  constructor(
    private readonly core: SimCore,
    private readonly rng: Rng,
  ) {}

  /** Normal mode keeps the per-frame cpupid; tiering mode does not need it. */
  keepCpupid(on: boolean): void {
    if (on && !this.lastCpupid) this.lastCpupid = new Uint16Array(this.core.frames.count)
    if (!on) this.lastCpupid = null
  }

  bytesPerFrame(): number {
    return this.lastCpupid ? 2 : 0
  }

  /** Fills thread, cpuNode and the cpupid fields for a fault of process p on frame f. */
  resolve(f: number, p: number, seq: number): void {
    const c = this.core
    const t = c.threads
    const n = t.count(p)
    this.thread = n > 1 && t.split(p) ? (Math.imul(f ^ (seq << 16), 0x9e3779b1) >>> 0) % n : 0
    this.cpuNode = t.split(p) ? t.homeNode(p, this.thread) : c.procHome[p]
    const last = this.lastCpupid
    if (!last) {
      this.lastCpuNode = -1
      this.lastProcess = -1
      this.isPrivate = true
      return
    }
    const v = last[f]
    this.lastProcess = (v & 0xff) - 1
    this.lastCpuNode = (v >>> 8) - 1
    this.isPrivate = this.lastProcess < 0 || this.lastProcess === p
    last[f] = (Math.min(p, 254) + 1) | ((this.cpuNode + 1) << 8)
  }

  /** The CPU process whose access came first: chosen in proportion to its rate on the frame. */
  faultingProcess(f: number): number {
    const c = this.core
    const region = c.regionOf(f)
    const procs = c.procsOfRegion[region]
    let only = -1
    let cpuCount = 0
    for (let i = 0; i < procs.length; i++) {
      const p = procs[i]
      if (c.procIsCpu[p] === 1) {
        only = p
        cpuCount++
      }
    }
    if (cpuCount <= 1) return only >= 0 ? only : 0
    let total = 0
    const weights: number[] = []
    for (const p of procs) {
      const w = c.procIsCpu[p] === 1 ? c.rate[p] * c.prob(p, f, region) : 0
      weights.push(w)
      total += w
    }
    let u = this.rng.next() * total
    for (let i = 0; i < procs.length; i++) {
      u -= weights[i]
      if (u < 0 && weights[i] > 0) return procs[i]
    }
    return only
  }
}
