import type { AllocationRequest, PolicyContext, PolicyInstance } from '../vocabulary'
import type { SimCore } from './core'
import { UNALLOCATED } from './frames'
import type { TelemetryHub } from './telemetry/sources'

/**
 * Page allocation: regions allocated at start or grown at a rate, frame by frame in address
 * order. The default is local first — the first-touching process's home node (a non-coherent
 * GPU's process allocates on the nearest CPU node) — then the nearest node by distance that stays
 * above its low watermark (the allocator's fast-path test [PA]). Falling back to a lower node on
 * the fast path wakes no kswapd: only when no node of the zonelist passes its low watermark does
 * the slow path run, and it wakes every node's kswapd on the way (`wake_all_kswapds` in
 * `__alloc_pages_slowpath`, mm/page_alloc.c [PA]). The policy's `place` may pick another node.
 */
export class Allocator {
  private sequence = 0
  private readonly carryBytes: Float64Array
  hub: TelemetryHub | null = null

  constructor(
    private readonly core: SimCore,
    private readonly policy: PolicyInstance,
    private readonly ctx: PolicyContext,
  ) {
    this.carryBytes = new Float64Array(core.R)
  }

  /** Node with room for one frame above `mark` (bytes free after it). */
  private fits(node: number, mark: 'low' | 'min' | 'none'): boolean {
    const c = this.core
    const wm = c.m.nodes[node].watermarks
    const after = c.freeBytes(node) - c.pageBytes
    return after >= (mark === 'low' ? wm.lowBytes : mark === 'min' ? wm.minBytes : 0)
  }

  defaultNode(home: number): number {
    const order = this.core.m.nodes[home].fallbackOrder
    for (const mark of ['low', 'min', 'none'] as const)
      for (const n of order) if (this.fits(n, mark)) return n
    return -1
  }

  /**
   * The slow path's kswapd wake-up: when no node of `home`'s zonelist has a frame above its low
   * watermark, every one of them gets its kswapd woken [PA] `wake_all_kswapds`.
   */
  private wakeIfSlowPath(home: number): void {
    const c = this.core
    const order = c.m.nodes[home].fallbackOrder
    for (const n of order) if (this.fits(n, 'low')) return
    for (const n of order) c.kswapdWake[n] = 1
  }

  private allocate(f: number, region: number, withMass: boolean): boolean {
    const c = this.core
    const proc = c.w.regions[region].firstTouchProcess
    const home = c.procHome[proc]
    const def = this.defaultNode(home)
    if (def < 0) return false
    let node = def
    if (this.policy.place) {
      const req: AllocationRequest = {
        frame: f,
        region,
        process: proc,
        defaultNode: def,
        sequence: this.sequence,
      }
      const chosen = this.policy.place(req, this.ctx)
      if (chosen !== def && chosen >= 0 && chosen < c.N && this.fits(chosen, 'none')) node = chosen
    }
    this.sequence++
    this.wakeIfSlowPath(home)
    c.place(f, node, region, withMass)
    c.regionAllocated[region]++
    this.hub?.framePlaced(f)
    return true
  }

  /** Allocates every 'start' region; masses are rebuilt by the caller afterwards. */
  allocateAtStart(): void {
    const c = this.core
    for (const r of c.w.regions) {
      if (r.allocationRateBytesPerS !== null) continue
      if (this.policy.place) {
        for (let k = 0; k < r.frameCount; k++)
          if (!this.allocate(r.frameStart + k, r.index, false)) return
        continue
      }
      // Default placement keeps choosing the same node until it reaches its low watermark: fill
      // node by node instead of asking for every frame.
      const home = c.procHome[r.firstTouchProcess]
      let k = 0
      while (k < r.frameCount) {
        const node = this.defaultNode(home)
        if (node < 0) return
        const wm = c.m.nodes[node].watermarks
        const mark = this.fits(node, 'low') ? wm.lowBytes : this.fits(node, 'min') ? wm.minBytes : 0
        const room = Math.max(1, Math.floor((c.freeBytes(node) - mark) / c.pageBytes))
        const take = Math.min(room, r.frameCount - k)
        c.placeRun(r.frameStart + k, take, node)
        this.hub?.framesPlaced(r.frameStart + k, take)
        c.regionAllocated[r.index] += take
        this.sequence += take
        this.wakeIfSlowPath(home)
        k += take
      }
    }
  }

  /** Grows rate-allocated regions by one epoch's worth. */
  growEpoch(): void {
    const c = this.core
    for (const r of c.w.regions) {
      if (r.allocationRateBytesPerS === null) continue
      let done = c.regionAllocated[r.index]
      if (done >= r.frameCount) continue
      this.carryBytes[r.index] += r.allocationRateBytesPerS * c.epochS
      while (this.carryBytes[r.index] >= c.pageBytes && done < r.frameCount) {
        const f = r.frameStart + done
        if (c.frames.node[f] !== UNALLOCATED || !this.allocate(f, r.index, true)) break
        this.carryBytes[r.index] -= c.pageBytes
        done++
      }
    }
  }
}
