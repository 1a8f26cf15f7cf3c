import type { CompiledWorkload } from '../workload'
import { runArray } from '../memory/run-arrays'

/**
 * Per-frame state in typed arrays (DESIGN.md §4): 12 bytes per frame always (node 1, state 4,
 * lastMoveEpoch 2, weight 4, heatBin 1), 4 more when some process is not a CPU (cpuWeight), 2
 * once accessed bits are checked (checkEpoch), 4 with a hint-fault source (scanEpoch, allocated
 * by it), plus the workload's layout (4 B per cluster block of base pages, 8 once ranks are mapped
 * to addresses, and at 2 MiB 4 B per frame of walk order). `arrayBytes()` measures it for the
 * benchmark; docs/engine-approximations.md ("Memory per frame") lists every per-frame array of a run.
 */
export const UNALLOCATED = 255

/**
 * `state[f]` packs what the hint-fault and migration paths read together into one word, so a
 * fault costs one cache miss there instead of four: flags (bits 0–3), the fault sequence number
 * (bits 4–15), the node the frame left at its last move (bits 16–23) and a copy of its node
 * (bits 24–31; `node` stays the array sequential walks read).
 */
export const SEQ_SHIFT = 4
export const SEQ_MASK = 0xfff0
/**
 * Sequence numbers wrap at this (12 bits): a stale fault event would pass for a pending one only
 * after exactly 4096 changes of its frame while it waits (with 8 bits a frame whose rate a moving
 * window changes every epoch got there in 2.56 s).
 */
export const SEQ_RANGE = 4096
export const PREV_SHIFT = 16
export const PREV_MASK = 0xff0000
export const NODE_SHIFT = 24
export const NODE_MASK = 0xff000000
/** The state word with its sequence number bumped (mod SEQ_RANGE). */
export function bumpSeq(s: number): number {
  return (s & ~SEQ_MASK) | ((s + (1 << SEQ_SHIFT)) & SEQ_MASK)
}

/** flags bits (the low four bits of `state`) */
export const F_HOT = 1 // among the truly hottest top-tier-capacity's worth of frames
export const F_PROT_NONE = 2 // NUMA-balancing scan made the PTE PROT_NONE; next CPU access faults
export const F_ACCESSED = 4 // accessed bit (exact mode sets it from draws)
/** With F_PROT_NONE: the pending fault is summarised (counted in bulk, see hint-faults.ts). */
export const F_SUMMARY = 8

export class FrameTable {
  readonly count: number
  /** NUMA node holding the frame, or UNALLOCATED. */
  readonly node: Uint8Array
  /**
   * Flags, fault sequence number (bumped whenever a pending hint fault of the frame becomes
   * stale), the node the frame left at its last move (ping-pong detection) and its node.
   */
  readonly state: Uint32Array
  /**
   * Epoch of the last move, and of the last accessed-bit check (fast mode draws from the rate
   * since then), both modulo 2^16 (a Uint16 store truncates): `epoch − stored` is exact while both
   * lie in one block of 65 536 epochs (655 s at 10 ms) and larger than the truth across a block
   * boundary — a ping-pong straddling one goes uncounted, a check interval looks longer.
   * docs/engine-approximations.md.
   */
  readonly lastMoveEpoch: Uint16Array
  /** Allocated by the accessed-bit model's first check (keepCheckEpochs); null until then. */
  checkEpoch: Uint16Array | null = null
  /**
   * Epoch whose start the scanner made the frame PROT_NONE. Empty unless a hint-fault source
   * exists (keepScanEpochs); read only for PROT_NONE frames, which the scan stamped.
   */
  scanEpoch: Int32Array = new Int32Array(0)
  /** Access rate at the reference process rates, accesses/s: all initiators, and CPUs only. */
  readonly weight: Float32Array
  /** The same array as `weight` when every process runs on a CPU (`cpuWeightShared`). */
  readonly cpuWeight: Float32Array
  readonly cpuWeightShared: boolean
  /** Global hotness bin (0 = hottest), for the heatmap. */
  readonly heatBin: Uint8Array

  constructor(count: number, separateCpuWeight = true) {
    this.count = count
    this.node = runArray(Uint8Array, count, UNALLOCATED)
    this.state = runArray(
      Uint32Array,
      count,
      ((UNALLOCATED << NODE_SHIFT) | (UNALLOCATED << PREV_SHIFT)) >>> 0,
    )
    this.lastMoveEpoch = runArray(Uint16Array, count)
    this.weight = runArray(Float32Array, count)
    this.cpuWeightShared = !separateCpuWeight
    this.cpuWeight = separateCpuWeight ? runArray(Float32Array, count) : this.weight
    this.heatBin = runArray(Uint8Array, count)
  }

  /** The scan stamps, for a hint-fault source (its first subscription allocates them). */
  keepScanEpochs(): Int32Array {
    if (this.scanEpoch.length !== this.count)
      this.scanEpoch = runArray(Int32Array, this.count, 'any')
    return this.scanEpoch
  }

  /** The accessed-bit check stamps (zero: "checked at epoch 0", as a fresh array always said). */
  keepCheckEpochs(): Uint16Array {
    return (this.checkEpoch ??= runArray(Uint16Array, this.count))
  }

  /**
   * Bytes per frame of each per-frame array held here and in the compiled workload's layout
   * (arrays not allocated in this run are left out; scanEpoch counts as the hint-fault source's);
   * `bytesPerFrame` is their sum.
   */
  arrayBytes(w: CompiledWorkload): Record<string, number> {
    const per = (a: { byteLength: number } | null) =>
      a ? a.byteLength / Math.max(1, this.count) : 0
    const out: Record<string, number> = {
      node: per(this.node),
      state: per(this.state),
      lastMoveEpoch: per(this.lastMoveEpoch),
      checkEpoch: per(this.checkEpoch),
      weight: per(this.weight),
      cpuWeight: this.cpuWeightShared ? 0 : per(this.cpuWeight),
      heatBin: per(this.heatBin),
      rankOfBlock: per(w.rankOfBlock),
      blockOfRank: per(w.blockOfRank),
      frameWalk: per(w.frameWalk),
    }
    for (const k of Object.keys(out)) if (out[k] === 0) delete out[k]
    return out
  }

  /** Bytes of per-frame arrays held here and in the compiled workload. */
  bytesPerFrame(w: CompiledWorkload): number {
    return Object.values(this.arrayBytes(w)).reduce((s, b) => s + b, 0)
  }
}
